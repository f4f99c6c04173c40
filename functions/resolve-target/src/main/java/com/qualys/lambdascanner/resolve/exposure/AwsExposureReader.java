package com.qualys.lambdascanner.resolve.exposure;

import com.qualys.lambdascanner.common.arn.LambdaArn;
import com.qualys.lambdascanner.common.model.Exposure;
import com.qualys.lambdascanner.common.model.ExposureFact;
import com.qualys.lambdascanner.common.model.PackageType;
import com.qualys.lambdascanner.resolve.FunctionDescription;
import com.qualys.lambdascanner.resolve.FunctionRef;
import com.qualys.lambdascanner.resolve.LambdaClients;
import com.qualys.lambdascanner.resolve.TargetAccess;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@link ExposureReader} over Lambda ({@code GetFunctionUrlConfig}, {@code GetPolicy}) and IAM (the execution role's
 * attached and inline policies), as whoever {@link TargetAccess} says reads the function (the function's own role in
 * single-account mode, the spoke role in hub mode): the same access that described it. Read here, in Resolve Target,
 * because this is where that access is already open and the function's configuration (role, runtime) is in hand; and
 * only for a function that will be scanned. Each call's failure makes only its fact unknown, with the reason.
 *
 * <p>A role's answer (yes or no, never unknown) is kept for {@link #ROLE_TTL} per container, up to
 * {@link #MAX_ROLES} roles: a fleet run scans many functions that share a few roles, and IAM's request rate is low.
 */
public final class AwsExposureReader implements ExposureReader {

  static final Duration ROLE_TTL = Duration.ofMinutes(10);
  static final int MAX_ROLES = 500;

  private final LambdaClients lambdas;
  private final IamClients iams;
  private final TargetAccess access;
  private final RuntimeDeprecations runtimes;
  private final Clock clock;
  private final Map<String, KnownRole> roles = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, KnownRole> eldest) {
      return size() > MAX_ROLES;
    }
  };

  private record KnownRole(ExposureFact admin, Instant until) {}

  public AwsExposureReader(
      LambdaClients lambdas, IamClients iams, TargetAccess access, RuntimeDeprecations runtimes, Clock clock) {
    this.lambdas = lambdas;
    this.iams = iams;
    this.access = access;
    this.runtimes = runtimes;
    this.clock = clock;
  }

  @Override
  public Exposure read(FunctionRef ref, FunctionDescription description, String scanId) {
    ExposureFact runtime = runtimes.fact(description.runtime(),
        "Image".equals(description.packageType()) ? PackageType.IMAGE : PackageType.ZIP, LocalDate.now(clock));
    LambdaArn arn;
    TargetAccess.Reader reader;
    try {
      arn = LambdaArn.parse(description.functionArn());
      reader = access.readerFor(ref, scanId);
    } catch (RuntimeException e) {
      // Described a moment ago with the same access: only an expired session or a broken ARN gets here.
      ExposureFact unknown = ExposureFact.unknown("the function could not be read again: " + e.getMessage());
      return new Exposure(unknown, unknown, unknown, unknown, runtime);
    }
    Function<software.amazon.awssdk.core.exception.SdkException, String> failure =
        e -> ReadFailures.describe(e, reader);
    FunctionPolicies.Facts invoke = new FunctionPolicies(lambdas.forRegion(arn.region()), reader, failure)
        .read(arn.unqualified(), arn.accountId(), ref.qualifier());
    ExposureFact admin = adminFact(description.role(), arn, reader, failure);
    return new Exposure(invoke.publicUrl(), invoke.publicInvoke(), invoke.crossAccountInvoke(), admin, runtime);
  }

  private ExposureFact adminFact(String role, LambdaArn arn, TargetAccess.Reader reader,
      Function<software.amazon.awssdk.core.exception.SdkException, String> failure) {
    Instant now = clock.instant();
    synchronized (roles) {
      KnownRole known = role == null ? null : roles.get(role);
      if (known != null && now.isBefore(known.until())) {
        return known.admin();
      }
    }
    ExposureFact admin = new RolePolicies(iams.forPartition(arn.partition()), reader, failure)
        .adminFact(role, arn.partition(), arn.accountId());
    if (role != null && admin.known()) {
      synchronized (roles) {
        roles.put(role, new KnownRole(admin, now.plus(ROLE_TTL)));
      }
    }
    return admin;
  }

  /** Combines per-call facts: a yes anywhere is a yes; otherwise an unknown anywhere is unknown; else no. */
  static ExposureFact combine(List<String> yes, List<String> unknown, String yesReason, String noReason) {
    if (!yes.isEmpty()) {
      return ExposureFact.yes(yesReason, yes);
    }
    if (!unknown.isEmpty()) {
      return new ExposureFact(ExposureFact.Answer.UNKNOWN, String.join("; ", unknown), List.of());
    }
    return ExposureFact.no(noReason);
  }

}
