package com.qualys.lambdascanner.common.model;

import java.util.stream.Stream;

/**
 * How reachable a scanned function is and how much its code could do if exploited, read by Resolve Target through
 * the same access as the scan (docs/result-record.md, "Exposure"). A null fact reads as unknown.
 *
 * @param publicUrl a Function URL with {@code AuthType: NONE} (unqualified or on the alias scanned)
 * @param publicInvoke a resource policy statement that lets anyone ({@code *}, unrestricted by a same-account or
 *     organization condition) invoke the function
 * @param crossAccountInvoke a resource policy statement that lets another named account invoke it
 * @param adminRole an execution role with AdministratorAccess, {@code Action "*"}, {@code iam:*}, or
 *     {@code sts:AssumeRole} on {@code *}
 * @param deprecatedRuntime a runtime AWS has deprecated or will deprecate within 90 days of the scan
 */
public record Exposure(
    ExposureFact publicUrl,
    ExposureFact publicInvoke,
    ExposureFact crossAccountInvoke,
    ExposureFact adminRole,
    ExposureFact deprecatedRuntime) {

  private static final ExposureFact NOT_READ = ExposureFact.unknown("not read");

  public Exposure {
    publicUrl = publicUrl == null ? NOT_READ : publicUrl;
    publicInvoke = publicInvoke == null ? NOT_READ : publicInvoke;
    crossAccountInvoke = crossAccountInvoke == null ? NOT_READ : crossAccountInvoke;
    adminRole = adminRole == null ? NOT_READ : adminRole;
    deprecatedRuntime = deprecatedRuntime == null ? NOT_READ : deprecatedRuntime;
  }

  /** Anyone on the internet or in any account can invoke it. */
  public boolean publiclyInvocable() {
    return publicUrl.yes() || publicInvoke.yes();
  }

  /** Every fact was read and none is a yes. */
  public boolean knownUnexposed() {
    return facts().allMatch(f -> f.answer() == ExposureFact.Answer.NO);
  }

  public Stream<ExposureFact> facts() {
    return Stream.of(publicUrl, publicInvoke, crossAccountInvoke, adminRole, deprecatedRuntime);
  }
}
