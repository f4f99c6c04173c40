package com.qualys.lambdascanner.resolve.exposure;

import static com.qualys.lambdascanner.resolve.exposure.PolicyDocument.field;
import static com.qualys.lambdascanner.resolve.exposure.PolicyDocument.matches;
import static com.qualys.lambdascanner.resolve.exposure.PolicyDocument.strings;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who a Lambda resource policy lets invoke the function: anyone (public), another named account, or only the
 * function's own account or organization. Read as IAM would, erring toward seeing a grant: {@code Principal "*"},
 * {@code {"AWS": "*"}} (alone or hidden in a list), {@code NotPrincipal} with Allow, a service principal without a
 * source condition (any account's resource of that service), {@code Action "lambda:*"} / {@code "lambda:Invoke*"} /
 * {@code NotAction}, element and condition key names in any case. A condition restricts only when IAM would make it
 * bind: a positive operator ({@code StringEquals}, {@code StringLike}, {@code ArnEquals}, {@code ArnLike}, their
 * {@code IgnoreCase} forms, no {@code IfExists}, no {@code ForAllValues}) on a source or principal key, with concrete
 * values (a wildcard in the account part restricts nothing). Deny statements are not credited (a narrowing Deny is
 * rare in a Lambda policy; ignoring it can only overstate exposure).
 */
public final class ResourcePolicyAnalysis {

  private static final List<String> INVOKE = List.of("lambda:InvokeFunction", "lambda:InvokeFunctionUrl");
  private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
  private static final Pattern ARN_ACCOUNT = Pattern.compile("^arn:[^:]*:[^:]*:[^:]*:([^:]*):.*", Pattern.DOTALL);
  private static final Set<String> ACCOUNT_KEYS =
      Set.of("aws:sourceaccount", "aws:sourceowner", "aws:principalaccount", "aws:resourceaccount");
  private static final Set<String> ARN_KEYS = Set.of("aws:sourcearn", "aws:principalarn");
  private static final Set<String> ORG_KEYS =
      Set.of("aws:principalorgid", "aws:sourceorgid", "aws:principalorgpaths", "aws:sourceorgpaths");
  private static final Set<String> NETWORK_KEYS = Set.of("aws:sourcevpc", "aws:sourcevpce");
  private static final Set<String> BINDING_OPERATORS = Set.of("stringequals", "stringequalsignorecase", "stringlike",
      "arnequals", "arnlike");

  /** What the policy allows, with the statements that show it. */
  public record Result(List<String> publicGrants, List<String> crossAccountGrants) {}

  private ResourcePolicyAnalysis() {}

  /**
   * @param policy the resource policy
   * @param ownAccount the function's account
   * @throws PolicyDocument.Unreadable when a statement is not shaped as IAM's grammar says
   */
  public static Result analyze(PolicyDocument policy, String ownAccount) throws PolicyDocument.Unreadable {
    List<String> publicGrants = new ArrayList<>();
    List<String> crossAccount = new ArrayList<>();
    List<JsonNode> statements = policy.statements();
    for (int i = 0; i < statements.size(); i++) {
      JsonNode statement = statements.get(i);
      if (!PolicyDocument.allows(statement) || !grantsInvoke(statement)) {
        continue;
      }
      String sid = PolicyDocument.sid(statement, i);
      Restriction restriction = restriction(field(statement, "Condition"));
      JsonNode notPrincipal = field(statement, "NotPrincipal");
      if (notPrincipal != null) {
        publicGrants.add(sid + ": NotPrincipal with Allow lets every other principal invoke");
        continue;
      }
      Principals principals = principals(field(statement, "Principal"), ownAccount);
      if (principals.anyone()) {
        String who = principals.what();
        if (restriction.toOwn(ownAccount)) {
          continue;
        }
        Set<String> others = restriction.otherAccounts(ownAccount);
        if (!others.isEmpty()) {
          crossAccount.add(sid + ": " + who + " restricted to account(s) " + String.join(", ", others));
        } else if (restriction.bound()) {
          continue;
        } else {
          publicGrants.add(sid + ": " + who + " without a condition restricting it to this account or organization");
        }
      } else if (!principals.otherAccounts().isEmpty() && !restriction.toOwn(ownAccount)) {
        crossAccount.add(sid + ": principal account(s) " + String.join(", ", principals.otherAccounts()));
      }
    }
    return new Result(publicGrants, crossAccount);
  }

  /** Action or NotAction lets an invoke through. */
  private static boolean grantsInvoke(JsonNode statement) throws PolicyDocument.Unreadable {
    JsonNode notAction = field(statement, "NotAction");
    if (notAction != null) {
      List<String> excluded = strings(notAction, "NotAction");
      return INVOKE.stream().anyMatch(a -> excluded.stream().noneMatch(p -> matches(p, a, true)));
    }
    List<String> actions = strings(field(statement, "Action"), "Action");
    return actions.stream().anyMatch(p -> INVOKE.stream().anyMatch(a -> matches(p, a, true)));
  }

  private record Principals(boolean anyone, String what, Set<String> otherAccounts) {}

  private static Principals principals(JsonNode principal, String ownAccount) throws PolicyDocument.Unreadable {
    if (principal == null) {
      throw new PolicyDocument.Unreadable("an Allow statement has neither Principal nor NotPrincipal");
    }
    if (principal.isTextual()) {
      return classify(List.of("AWS"), List.of(principal.asText()), ownAccount);
    }
    if (!principal.isObject()) {
      throw new PolicyDocument.Unreadable("Principal is neither a string nor an object");
    }
    List<String> kinds = new ArrayList<>();
    List<String> values = new ArrayList<>();
    for (var entry : principal.properties()) {
      for (String value : strings(entry.getValue(), "Principal")) {
        kinds.add(entry.getKey());
        values.add(value);
      }
    }
    return classify(kinds, values, ownAccount);
  }

  private static Principals classify(List<String> kinds, List<String> values, String ownAccount) {
    Set<String> others = new LinkedHashSet<>();
    for (int i = 0; i < values.size(); i++) {
      String kind = kinds.get(i).toLowerCase(Locale.ROOT);
      String value = values.get(i).strip();
      if (value.contains("*") || value.contains("?")) {
        return new Principals(true, "principal " + kinds.get(i) + " \"" + value + "\"", others);
      }
      if (kind.equals("service")) {
        return new Principals(true, "service principal " + value, others);
      }
      if (!kind.equals("aws")) {
        // Federated or canonical users: outside this account's control.
        return new Principals(true, kinds.get(i) + " principal " + value, others);
      }
      String account = ACCOUNT.matcher(value).matches() ? value : arnAccount(value);
      if (account == null || !ACCOUNT.matcher(account).matches()) {
        return new Principals(true, "principal \"" + value + "\" of no known account", others);
      }
      if (!account.equals(ownAccount)) {
        others.add(account);
      }
    }
    return new Principals(false, null, others);
  }

  private static String arnAccount(String arn) {
    Matcher m = ARN_ACCOUNT.matcher(arn);
    return m.matches() ? m.group(1) : null;
  }

  /** What the binding source and principal conditions allow: accounts, or an organization or network bound. */
  private record Restriction(Set<String> accounts, boolean organization, boolean network, boolean resource) {

    boolean bound() {
      return !accounts.isEmpty() || organization || network || resource;
    }

    boolean toOwn(String ownAccount) {
      return !accounts.isEmpty() && accounts.stream().allMatch(ownAccount::equals);
    }

    Set<String> otherAccounts(String ownAccount) {
      Set<String> others = new LinkedHashSet<>(accounts);
      others.remove(ownAccount);
      return accounts.stream().allMatch(ownAccount::equals) ? Set.of() : others;
    }
  }

  private static Restriction restriction(JsonNode condition) throws PolicyDocument.Unreadable {
    Set<String> accounts = new LinkedHashSet<>();
    boolean organization = false;
    boolean network = false;
    boolean resource = false;
    if (condition == null || condition.isNull()) {
      return new Restriction(accounts, false, false, false);
    }
    if (!condition.isObject()) {
      throw new PolicyDocument.Unreadable("Condition is not an object");
    }
    for (var operator : condition.properties()) {
      String op = operator.getKey().strip().toLowerCase(Locale.ROOT);
      if (!operator.getValue().isObject()) {
        throw new PolicyDocument.Unreadable("Condition operator " + operator.getKey() + " is not an object");
      }
      if (op.startsWith("forallvalues:") || op.endsWith("ifexists")) {
        continue;
      }
      op = op.startsWith("foranyvalue:") ? op.substring("foranyvalue:".length()) : op;
      if (!BINDING_OPERATORS.contains(op)) {
        continue;
      }
      for (var key : operator.getValue().properties()) {
        String name = key.getKey().strip().toLowerCase(Locale.ROOT);
        List<String> values = strings(key.getValue(), "Condition " + key.getKey());
        if (values.isEmpty()) {
          continue;
        }
        if (ACCOUNT_KEYS.contains(name) && values.stream().allMatch(v -> ACCOUNT.matcher(v.strip()).matches())) {
          values.forEach(v -> accounts.add(v.strip()));
        } else if (ARN_KEYS.contains(name)) {
          List<String> owners = values.stream().map(ResourcePolicyAnalysis::arnAccount).toList();
          if (owners.stream().allMatch(a -> a != null && ACCOUNT.matcher(a).matches())) {
            accounts.addAll(owners);
          } else if (owners.stream().allMatch(a -> a != null && a.isEmpty())
              && values.stream().noneMatch(v -> v.contains("*") || v.contains("?"))) {
            // An ARN without an account (an S3 bucket): one named resource, its owner not verifiable here.
            resource = true;
          }
        } else if (ORG_KEYS.contains(name) && values.stream().noneMatch(v -> v.contains("*") || v.contains("?"))) {
          organization = true;
        } else if (NETWORK_KEYS.contains(name) && values.stream().noneMatch(v -> v.contains("*") || v.contains("?"))) {
          network = true;
        }
      }
    }
    return new Restriction(accounts, organization, network, resource);
  }
}
