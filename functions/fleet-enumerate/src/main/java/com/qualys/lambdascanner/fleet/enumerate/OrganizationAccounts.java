package com.qualys.lambdascanner.fleet.enumerate;

import com.qualys.lambdascanner.common.error.RetryableException;
import com.qualys.lambdascanner.common.error.TerminalException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.organizations.OrganizationsClient;
import software.amazon.awssdk.services.organizations.model.Account;
import software.amazon.awssdk.services.organizations.model.AccountStatus;

/**
 * The Organization's ACTIVE accounts, every page (a page may be empty while NextToken says there is more: the
 * paginator follows the token, not the page size). Only the management account or a delegated administrator of AWS
 * Organizations may call ListAccounts: anyone else gets AccessDenied, reported with that reason.
 */
public final class OrganizationAccounts {

  private static final Pattern ACCOUNT = Pattern.compile("^\\d{12}$");

  private final Supplier<OrganizationsClient> factory;
  private OrganizationsClient client;

  /** @param factory called once, on first use: a hub that does not list the Organization never builds the client */
  public OrganizationAccounts(Supplier<OrganizationsClient> factory) {
    this.factory = factory;
  }

  private synchronized OrganizationsClient client() {
    if (client == null) {
      client = factory.get();
    }
    return client;
  }

  /**
   * @throws TerminalException not allowed (not the management account or a delegated administrator), or not in an
   *     Organization
   * @throws RetryableException throttling or 5xx after the SDK's retries, network
   */
  public List<String> active() {
    List<String> accounts = new ArrayList<>();
    try {
      for (Account account : client().listAccountsPaginator(b -> {}).accounts()) {
        if (account.status() == AccountStatus.ACTIVE && account.id() != null && ACCOUNT.matcher(account.id()).matches()) {
          accounts.add(account.id());
        }
      }
      return accounts;
    } catch (AwsServiceException e) {
      String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
      String what = "organizations:ListAccounts failed (" + (code == null ? "no error code" : code) + ", HTTP "
          + e.statusCode() + ")";
      if (e.isThrottlingException() || e.statusCode() >= 500) {
        throw new RetryableException(what, e);
      }
      if (e.statusCode() == 403 || "AccessDeniedException".equals(code)) {
        throw new TerminalException(what + ": only the Organization's management account or a delegated administrator"
            + " may list its accounts; set FleetOrganizationAccounts=false and list the spokes in SpokeAccountIds", e);
      }
      throw new TerminalException(what, e);
    } catch (SdkClientException e) {
      throw new RetryableException("organizations:ListAccounts did not complete (network or timeout)", e);
    } catch (SdkException e) {
      throw new TerminalException("organizations:ListAccounts failed", e);
    }
  }
}
