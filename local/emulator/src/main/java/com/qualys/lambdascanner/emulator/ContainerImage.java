package com.qualys.lambdascanner.emulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A container-image function as Lambda runs it: the image's own entrypoint and command, inside the image's own root
 * filesystem, with a /tmp of its own. The image is a folder as local/image/build-image.py leaves it: {@code rootfs/}
 * (its layers unpacked) and its OCI config flattened for the emulator, which has no JSON library:
 * {@code config.args} (Entrypoint then Cmd, one a line), {@code config.env} (Env, one a line) and
 * {@code config.workdir} (WorkingDir).
 *
 * <p>The runtime is started under {@code unshare --mount --pid --fork} (a mount and a PID namespace, as root) and
 * {@code chroot}s into the root filesystem; it keeps the host's network namespace, so it reaches the Runtime API and
 * the AWS endpoint on loopback. What is not emulated: Lambda's read-only root filesystem and its user (the runtime
 * runs as root here), and image layers' whiteouts (the images built here have none).
 */
final class ContainerImage {

  /**
   * Mounts the given files over the image's, the sandbox's /tmp, the host's /dev and /proc of the new PID namespace
   * (host tools by the host's PATH: the environment is already the image's), then runs the rest in the root filesystem
   * from the image's working directory. Arguments: rootfs, tmp, working directory, host and image path pairs up to
   * "--", then the image's entrypoint and command.
   */
  private static final String SANDBOX = """
      set -e
      root=$1; tmp=$2; workdir=$3; shift 3
      host() { PATH=/usr/sbin:/usr/bin:/sbin:/bin "$@"; }
      while [ "$1" != "--" ]; do host mount --bind "$1" "$root$2"; shift 2; done; shift
      host mount --bind "$tmp" "$root/tmp"
      host mount --rbind /dev "$root/dev"
      host mount -t proc proc "$root/proc"
      exec "$(host command -v chroot)" "$root" /bin/sh -c 'cd "$0" && exec "$@"' "$workdir" "$@"
      """;

  private final Path rootfs;
  private final List<String> command;
  private final Map<String, String> environment;
  private final String workingDir;

  private ContainerImage(Path folder) {
    this.rootfs = folder.resolve("rootfs").toAbsolutePath();
    try {
      this.command = Files.readAllLines(folder.resolve("config.args"));
      this.environment = new LinkedHashMap<>();
      for (String entry : Files.readAllLines(folder.resolve("config.env"))) {
        int eq = entry.indexOf('=');
        if (eq > 0) {
          environment.put(entry.substring(0, eq), entry.substring(eq + 1));
        }
      }
      this.workingDir = Files.readString(folder.resolve("config.workdir")).strip();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the image config in " + folder, e);
    }
    if (command.isEmpty()) {
      throw new IllegalArgumentException("the image in " + folder + " has neither Entrypoint nor Cmd");
    }
  }

  /** Whether a function's code is an image folder rather than a zip or a task folder. */
  static boolean is(Path code) {
    return Files.isRegularFile(code.resolve("config.args")) && Files.isDirectory(code.resolve("rootfs"));
  }

  static ContainerImage of(Path folder) {
    return new ContainerImage(folder);
  }

  /** The image's environment (its Env), which the Lambda variables and the function's own then override. */
  Map<String, String> environment() {
    return Map.copyOf(environment);
  }

  /**
   * The command that runs the image's entrypoint and command in its root filesystem, with {@code tmp} as its /tmp and
   * each host file of {@code mounts} over the image path it is mapped to (a file the image already has).
   */
  List<String> command(Path tmp, Map<Path, String> mounts) {
    List<String> command = new ArrayList<>(List.of("unshare", "--mount", "--pid", "--fork", "--kill-child",
        "/bin/sh", "-c", SANDBOX, "sandbox", rootfs.toString(), tmp.toAbsolutePath().toString(), workingDir));
    mounts.forEach((host, inImage) -> {
      if (!Files.exists(rootfs.resolve(inImage.replaceFirst("^/+", "")))) {
        throw new IllegalArgumentException("the image has no " + inImage + " to mount " + host + " over");
      }
      command.add(host.toAbsolutePath().toString());
      command.add(inImage);
    });
    command.add("--");
    command.addAll(this.command);
    return command;
  }
}
