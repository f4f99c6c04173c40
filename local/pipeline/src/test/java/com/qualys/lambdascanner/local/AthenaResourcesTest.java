package com.qualys.lambdascanner.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.trino.sql.parser.ParsingException;
import io.trino.sql.parser.SqlParser;
import io.trino.sql.tree.AliasedRelation;
import io.trino.sql.tree.Identifier;
import io.trino.sql.tree.Node;
import io.trino.sql.tree.SingleColumn;
import io.trino.sql.tree.Statement;
import io.trino.sql.tree.Table;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Athena resources of template.yaml (docs/athena.md): each named query's SQL goes through Trino's own parser
 * (Athena engine version 3 is Trino), and every table, column and struct field it names must exist in the Glue tables
 * the template declares, so a typo in a query or a column fails the build instead of the first user's query.
 */
class AthenaResourcesTest {

  private static final Pattern STRUCT_FIELD = Pattern.compile("([a-z0-9_]+):");
  private static final SqlParser PARSER = new SqlParser();

  private final Template template = Template.read(Samples.projectRoot().resolve("template.yaml"));

  @Test
  void namedQueries_whenParsedByTrino_expectationEachParsesAndNamesOnlyDeclaredTablesAndColumns() {
    Map<String, String> queries = namedQueries();
    assertThat(queries).as("named queries").containsOnlyKeys("CriticalFunctionsByAccountQuery",
        "RiskiestFunctionsQuery", "CveAcrossFleetQuery", "FixedThisWeekQuery", "CoverageGapsQuery");
    Map<String, Set<String>> tables = glueTables();

    queries.forEach((id, sql) -> {
      Statement statement = PARSER.createStatement(sql);
      List<String> problems = unknownNames(statement, tables);
      assertThat(problems).as(id + " names what no table declares").isEmpty();
      assertThat(template.properties(id).get("Database")).as(id).isEqualTo(Map.of("Ref", "AthenaDatabase"));
    });
  }

  @Test
  void unknownNames_whenQueryHasTypos_expectationEachTypoReported() {
    Map<String, Set<String>> tables = glueTables();

    assertThatThrownBy(() -> PARSER.createStatement("SELEC account FROM results")).isInstanceOf(ParsingException.class);
    assertThatThrownBy(() -> PARSER.createStatement("SELECT account FROM results WHERE \"date\" >= "))
        .isInstanceOf(ParsingException.class);
    assertThat(unknownNames(PARSER.createStatement("SELECT acount FROM results"), tables)).containsExactly("acount");
    assertThat(unknownNames(PARSER.createStatement("SELECT target.functionnam FROM results"), tables))
        .containsExactly("functionnam");
    assertThat(unknownNames(PARSER.createStatement("SELECT account FROM result"), tables))
        .containsExactly("table result", "account");
  }

  @Test
  void glueTables_whenComparedWithTheDocumentedSchemas_expectationEveryColumnIsARecordField() {
    Map<String, Set<String>> tables = glueTables();

    assertThat(tables).containsOnlyKeys("results", "coverage", "sboms");
    assertThat(topLevelColumns("ResultsTable")).isSubsetOf(schemaFields("docs/result-record.schema.json"));
    assertThat(topLevelColumns("CoverageTable")).containsExactlyInAnyOrderElementsOf(
        schemaFields("docs/coverage.schema.json"));
  }

  @Test
  void resultsTable_whenProjected_expectationTheKeysStoreResultsWrites() {
    Map<String, Object> input = Template.map(template.properties("ResultsTable").get("TableInput"));
    Map<String, Object> parameters = Template.map(input.get("Parameters"));

    assertThat(parameters.get("projection.enabled")).isEqualTo("true");
    // RecordKeys: results/account=<acct>/region=<region>/date=<yyyy-MM-dd>/<scanId>.json
    assertThat(parameters.get("storage.location.template")).isEqualTo(Map.of("Fn::Sub",
        "s3://${ResultsBucket}/results/account=${!account}/region=${!region}/date=${!date}/"));
    assertThat(parameters.get("projection.date.format")).isEqualTo("yyyy-MM-dd");
    Map<String, Object> sboms = Template.map(Template.map(template.properties("SbomComponentsTable")
        .get("TableInput")).get("Parameters"));
    assertThat(sboms.get("storage.location.template"))
        .isEqualTo(Map.of("Fn::Sub", "s3://${ResultsBucket}/reports/${!account}/${!region}/"));
  }

  /** Table name to every name it declares: columns, partition keys and (lower-cased) struct field names. */
  private Map<String, Set<String>> glueTables() {
    Map<String, Set<String>> tables = new LinkedHashMap<>();
    template.resources().forEach((id, value) -> {
      Map<String, Object> resource = Template.map(value);
      if (!"AWS::Glue::Table".equals(resource.get("Type"))) {
        return;
      }
      Map<String, Object> input = Template.map(template.properties(id).get("TableInput"));
      Set<String> names = new TreeSet<>();
      List<Object> columns = new ArrayList<>(list(Template.map(input.get("StorageDescriptor")).get("Columns")));
      if (input.get("PartitionKeys") != null) {
        columns.addAll(list(input.get("PartitionKeys")));
      }
      for (Object column : columns) {
        Map<String, Object> c = Template.map(column);
        names.add(((String) c.get("Name")).toLowerCase());
        Matcher fields = STRUCT_FIELD.matcher(((String) c.get("Type")).toLowerCase());
        while (fields.find()) {
          names.add(fields.group(1));
        }
      }
      tables.put((String) input.get("Name"), names);
    });
    return tables;
  }

  private Set<String> topLevelColumns(String tableId) {
    Map<String, Object> input = Template.map(template.properties(tableId).get("TableInput"));
    Set<String> names = new TreeSet<>();
    for (Object column : list(Template.map(input.get("StorageDescriptor")).get("Columns"))) {
      names.add((String) Template.map(column).get("Name"));
    }
    return names;
  }

  private static Set<String> schemaFields(String path) {
    JsonNode schema = Samples.json(Samples.text(Samples.projectRoot().resolve(path)));
    Set<String> names = new TreeSet<>();
    schema.path("properties").fieldNames().forEachRemaining(name -> names.add(name.toLowerCase()));
    return names;
  }

  private Map<String, String> namedQueries() {
    Map<String, String> queries = new LinkedHashMap<>();
    template.resources().forEach((id, value) -> {
      if ("AWS::Athena::NamedQuery".equals(Template.map(value).get("Type"))) {
        queries.put(id, (String) template.properties(id).get("QueryString"));
      }
    });
    return queries;
  }

  /**
   * Tables the statement reads that no Glue table declares ("table x"), and identifiers that are neither a column or
   * struct field of a table it reads nor an alias the statement defines.
   */
  static List<String> unknownNames(Statement statement, Map<String, Set<String>> tables) {
    List<Node> nodes = new ArrayList<>();
    collect(statement, nodes);
    List<String> problems = new ArrayList<>();
    Set<String> known = new TreeSet<>();
    for (Node node : nodes) {
      if (node instanceof Table table) {
        String name = table.getName().getSuffix().toLowerCase();
        if (tables.containsKey(name)) {
          known.addAll(tables.get(name));
        } else {
          problems.add("table " + name);
        }
      } else if (node instanceof AliasedRelation aliased) {
        known.add(aliased.getAlias().getValue().toLowerCase());
        if (aliased.getColumnNames() != null) {
          aliased.getColumnNames().forEach(c -> known.add(c.getValue().toLowerCase()));
        }
      } else if (node instanceof SingleColumn column) {
        column.getAlias().ifPresent(alias -> known.add(alias.getValue().toLowerCase()));
      }
    }
    for (Node node : nodes) {
      if (node instanceof Identifier identifier && !known.contains(identifier.getValue().toLowerCase())) {
        // Struct fields too: Trino's tree holds a dereference's field as an Identifier child.
        problems.add(identifier.getValue());
      }
    }
    return problems;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object value) {
    return (List<Object>) value;
  }

  private static void collect(Node node, List<Node> into) {
    into.add(node);
    for (Node child : node.getChildren()) {
      collect(child, into);
    }
  }
}
