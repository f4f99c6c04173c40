package com.qualys.lambdascanner.local;

import com.qualys.lambdascanner.local.PipelineSettings.Function;
import com.qualys.lambdascanner.local.PipelineSettings.Options;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The project's ASL files rendered for a local run: every {@code ${...}} replaced, the substitutions local. */
final class AslDefinitions {

  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_]+)}");

  private AslDefinitions() {}

  /** The ASL's substitutions for a run: alias ARNs of the local functions, short numbers, the options' changes. */
  static Map<String, String> localSubstitutions(Path projectRoot, Options options, String account, String region) {
    Map<String, String> values = new HashMap<>();
    // Literal values of the template first (a setting added there works here too), then the local short ones.
    Template.find(projectRoot).ifPresent(t -> t.definitionSubstitutions(PipelineSettings.STATE_MACHINE_ID)
        .forEach((key, value) -> {
          if (value instanceof String || value instanceof Number) {
            values.put(key, String.valueOf(value));
          }
        }));
    values.putAll(PipelineSettings.LOCAL_NUMBERS);
    values.putAll(PipelineSettings.LOCAL_RETRY_NUMBERS);
    values.putAll(options.substitutions());
    for (Function function : PipelineSettings.FUNCTIONS) {
      String key = function.logicalId().replace("Function", "FunctionArn");
      values.put(key, "arn:aws:lambda:" + region + ":" + account + ":function:" + function.name() + ":"
          + PipelineSettings.ALIAS);
    }
    return values;
  }

  /** An ASL file of the project (e.g. statemachine/fleet-scan.asl.json) with every {@code ${...}} replaced. */
  static String render(Path projectRoot, String aslFile, Map<String, String> substitutions) {
    String definition;
    try {
      definition = Files.readString(projectRoot.resolve(aslFile));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Matcher placeholder = PLACEHOLDER.matcher(definition);
    StringBuilder out = new StringBuilder();
    List<String> missing = new ArrayList<>();
    while (placeholder.find()) {
      String value = substitutions.get(placeholder.group(1));
      if (value == null) {
        missing.add(placeholder.group(1));
        value = placeholder.group();
      }
      placeholder.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    placeholder.appendTail(out);
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException("no substitution for " + missing);
    }
    return out.toString();
  }
}
