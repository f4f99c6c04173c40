package com.qualys.lambdascanner.resolve;

import com.qualys.lambdascanner.common.config.Env;
import com.qualys.lambdascanner.common.error.TerminalException;
import com.qualys.lambdascanner.common.model.Target;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which functions are not scanned, decided by what they are rather than by a tag their owner can set: the scanner's
 * own functions are this stack's function names in its own account and region; the opt-out tag counts only where
 * the operator's policy says so ({@code HONOUR_OPT_OUT_TAGS}, {@code OPT_OUT_ACCOUNT_IDS}).
 *
 * @param scannerAccountId this stack's account (null: unknown, and then no function counts as the scanner's)
 * @param scannerRegion this stack's region
 * @param scannerFunctionNames this stack's function names
 * @param honourOptOutTags whether the opt-out tag is honoured at all
 * @param optOutAccountIds the accounts whose opt-out tags are honoured; empty means every account
 */
public record ExclusionPolicy(
    String scannerAccountId,
    String scannerRegion,
    Set<String> scannerFunctionNames,
    boolean honourOptOutTags,
    Set<String> optOutAccountIds) {

  /** No own functions known, every opt-out honoured: what unit tests of other behaviour start from. */
  static final ExclusionPolicy HONOUR_ALL = new ExclusionPolicy(null, null, Set.of(), true, Set.of());

  private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
  private static final Pattern FUNCTION_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  public ExclusionPolicy {
    scannerFunctionNames = Set.copyOf(scannerFunctionNames);
    optOutAccountIds = Set.copyOf(optOutAccountIds);
  }

  /** One of this scanner's own functions: same account, same region, one of its names. */
  boolean isScanner(Target target) {
    return scannerAccountId != null
        && scannerAccountId.equals(target.accountId())
        && target.region() != null
        && target.region().equals(scannerRegion)
        && scannerFunctionNames.contains(target.functionName());
  }

  /** Whether the opt-out tag of a function in this account is honoured. */
  boolean honoursOptOut(String accountId) {
    return honourOptOutTags && (optOutAccountIds.isEmpty() || optOutAccountIds.contains(accountId));
  }

  static ExclusionPolicy from(Env env, String region) {
    String account = env.optional("SCANNER_ACCOUNT_ID", null);
    if (account != null && !ACCOUNT.matcher(account).matches()) {
      throw new TerminalException("environment variable SCANNER_ACCOUNT_ID must be a 12-digit account id");
    }
    Set<String> names = new LinkedHashSet<>(list(env.optional("SCANNER_FUNCTION_NAMES", ""), FUNCTION_NAME,
        "SCANNER_FUNCTION_NAMES", "function names"));
    // Lambda sets it: resolve-target's own name (the template cannot list a function in its own environment).
    String own = env.optional("AWS_LAMBDA_FUNCTION_NAME", null);
    if (own != null && FUNCTION_NAME.matcher(own).matches()) {
      names.add(own);
    }
    String honour = env.optional("HONOUR_OPT_OUT_TAGS", "true");
    if (!honour.equals("true") && !honour.equals("false")) {
      throw new TerminalException("environment variable HONOUR_OPT_OUT_TAGS must be true or false");
    }
    Set<String> accounts = list(env.optional("OPT_OUT_ACCOUNT_IDS", ""), ACCOUNT, "OPT_OUT_ACCOUNT_IDS",
        "12-digit account ids");
    return new ExclusionPolicy(account, region, names, honour.equals("true"), accounts);
  }

  private static Set<String> list(String value, Pattern item, String variable, String what) {
    Set<String> out = new LinkedHashSet<>();
    for (String part : value.split(",")) {
      String p = part.strip();
      if (p.isEmpty()) {
        continue;
      }
      if (!item.matcher(p).matches()) {
        throw new TerminalException("environment variable " + variable + " must be comma-separated " + what);
      }
      out.add(p);
    }
    return out;
  }
}
