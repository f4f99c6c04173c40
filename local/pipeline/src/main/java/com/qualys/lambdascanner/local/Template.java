package com.qualys.lambdascanner.local;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * template.yaml as data. CloudFormation's short-form tags ({@code !Ref X}, {@code !Sub ...}, {@code !If [...]}) are
 * read as their long form ({@code {"Ref": "X"}}, {@code {"Fn::Sub": ...}}), as CloudFormation itself reads them, so a
 * plain YAML loader does not trip over them.
 */
public final class Template {

  private final Map<String, Object> root;

  private Template(Map<String, Object> root) {
    this.root = root;
  }

  /** The template at the project root, if there is one yet. */
  public static Optional<Template> find(Path projectRoot) {
    Path file = projectRoot.resolve("template.yaml");
    return Files.isRegularFile(file) ? Optional.of(read(file)) : Optional.empty();
  }

  @SuppressWarnings("unchecked")
  public static Template read(Path file) {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    try (Reader reader = Files.newBufferedReader(file)) {
      Object loaded = new Yaml(new CloudFormationConstructor(options)).load(reader);
      if (!(loaded instanceof Map)) {
        throw new IllegalArgumentException(file + " is not a YAML mapping");
      }
      return new Template((Map<String, Object>) loaded);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Map<String, Object> root() {
    return root;
  }

  public Map<String, Object> resources() {
    return map(root.get("Resources"));
  }

  public Map<String, Object> properties(String logicalId) {
    return map(map(resources().get(logicalId)).get("Properties"));
  }

  /** A function property, falling back to {@code Globals.Function} as SAM does. */
  public Optional<Object> functionProperty(String logicalId, String name) {
    Object own = properties(logicalId).get(name);
    if (own != null) {
      return Optional.of(own);
    }
    return Optional.ofNullable(map(map(root.get("Globals")).get("Function")).get(name));
  }

  /**
   * A literal environment variable of a function: its own {@code Environment.Variables}, else those of
   * {@code Globals.Function}, which SAM merges into every function's.
   */
  public Optional<String> environmentVariable(String logicalId, String name) {
    Object own = map(map(properties(logicalId).get("Environment")).get("Variables")).get(name);
    Object global = map(map(map(map(root.get("Globals")).get("Function")).get("Environment")).get("Variables"))
        .get(name);
    return Optional.ofNullable(own != null ? own : global).filter(String.class::isInstance).map(String.class::cast);
  }

  public Optional<String> handler(String logicalId) {
    return Optional.ofNullable(properties(logicalId).get("Handler")).map(String::valueOf);
  }

  /** A number property (Timeout, MemorySize), when it is a literal. */
  public Optional<Integer> intProperty(String logicalId, String name) {
    return functionProperty(logicalId, name)
        .filter(v -> v instanceof Number || String.valueOf(v).matches("\\d+"))
        .map(v -> Integer.parseInt(String.valueOf(v)));
  }

  /** The state machine's DefinitionSubstitutions, values as written (literals or intrinsic functions). */
  public Map<String, Object> definitionSubstitutions(String stateMachineId) {
    return map(properties(stateMachineId).get("DefinitionSubstitutions"));
  }

  /** The EventBridge rule pattern of one of the state machine's events. */
  public Map<String, Object> eventPattern(String stateMachineId, String eventId) {
    return map(map(map(map(properties(stateMachineId).get("Events")).get(eventId)).get("Properties")).get("Pattern"));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object value) {
    return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  /** Reads {@code !Name value} as {@code {"Fn::Name": value}} ({@code !Ref} as {@code {"Ref": value}}). */
  private static final class CloudFormationConstructor extends SafeConstructor {

    CloudFormationConstructor(LoaderOptions options) {
      super(options);
      this.yamlMultiConstructors.put("!", new IntrinsicFunction());
    }

    private final class IntrinsicFunction extends AbstractConstruct {
      @Override
      public Object construct(Node node) {
        String tag = node.getTag().getValue().substring(1);
        String key = tag.equals("Ref") || tag.equals("Condition") ? tag : "Fn::" + tag;
        Object value;
        if (node instanceof ScalarNode scalar) {
          value = constructScalar(scalar);
          if (tag.equals("GetAtt")) {
            // !GetAtt A.B is the short form of Fn::GetAtt [A, B].
            value = List.of(((String) value).split("\\.", 2));
          }
        } else if (node instanceof SequenceNode sequence) {
          value = constructSequence(sequence);
        } else {
          Map<Object, Object> mapping = new LinkedHashMap<>();
          constructMapping2ndStep((MappingNode) node, mapping);
          value = mapping;
        }
        Map<String, Object> function = new LinkedHashMap<>();
        function.put(key, value);
        return function;
      }
    }
  }
}
