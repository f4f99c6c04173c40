package com.qualys.lambdascanner.spoke;

/**
 * A spoke role to assume: templates/spoke.yaml's role in one account. Built by {@link SpokeAccess} from a validated
 * target and the configured role name, never taken from an input.
 *
 * @param arn {@code arn:<partition>:iam::<account>:role/<SPOKE_ROLE_NAME>}
 * @param accountId the account it is in, for messages
 */
public record SpokeRole(String arn, String accountId) {

  static SpokeRole in(String partition, String accountId, String roleName) {
    return new SpokeRole("arn:" + partition + ":iam::" + accountId + ":role/" + roleName, accountId);
  }

  @Override
  public String toString() {
    return arn;
  }
}
