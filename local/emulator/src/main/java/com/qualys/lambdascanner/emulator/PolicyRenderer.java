package com.qualys.lambdascanner.emulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The stack's IAM policies rendered from its own templates (authz/render_policies.py: samtranslator's SAM transform,
 * then every intrinsic resolved with the run's parameters and physical names), by the Python that runs moto_server.
 */
public final class PolicyRenderer {

  private PolicyRenderer() {}

  /**
   * Renders the stacks {@code request} describes (render_policies.py's input, JSON) into {@code output}; returns it.
   * A name the request did not resolve fails the run: a policy must never be evaluated with a hole in it.
   */
  public static Path render(String request, Path output) {
    try {
      Path script = IamEvaluator.extract("authz/render_policies.py");
      Process process = new ProcessBuilder(python(), script.toString())
          .redirectOutput(output.toFile())
          .redirectError(ProcessBuilder.Redirect.appendTo(output.resolveSibling("render-policies.log").toFile()))
          .start();
      process.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
      process.getOutputStream().close();
      if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException("rendering the stack's policies failed: see "
            + output.resolveSibling("render-policies.log"));
      }
      String rendered = Files.readString(output);
      if (!rendered.contains("\"unresolved\": []")) {
        throw new IllegalStateException("the stack's policies name what the run did not create: "
            + rendered.substring(rendered.indexOf("\"unresolved\"")));
      }
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The Python of moto_server (its #! line, or the python3 beside it): it has samtranslator, which cfn-lint brings. */
  static String python() throws IOException {
    String command = System.getProperty("moto.server", "moto_server");
    Path server = Path.of(command);
    if (!server.isAbsolute()) {
      for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
        if (Files.isExecutable(Path.of(dir, command))) {
          server = Path.of(dir, command);
          break;
        }
      }
    }
    if (Files.isRegularFile(server)) {
      List<String> lines = Files.readAllLines(server, StandardCharsets.ISO_8859_1);
      if (!lines.isEmpty() && lines.getFirst().startsWith("#!") && lines.getFirst().contains("python")) {
        return lines.getFirst().substring(2).trim().split("\\s+")[0];
      }
      Path sibling = server.resolveSibling("python3");
      if (Files.isExecutable(sibling)) {
        return sibling.toString();
      }
    }
    return "python3";
  }
}
