package dev.capstan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad input gets one clear line naming the problem, a non-zero exit, and starts nothing. */
class InvalidInputTest extends LocalServerTest {
  static Stream<Arguments> invalidSpecs() {
    return Stream.of(
        Arguments.of("framework: pytorch", "framework: caffe", "spec.framework"),
        Arguments.of("count: 1", "count: -1", "spec.replicas.master.count"),
        Arguments.of("restartPolicy: Never", "restartPolicy: Sometimes", "spec.replicas.master.restartPolicy"),
        Arguments.of("    master:", "    launcher:", "spec.replicas.launcher"),
        Arguments.of("command: [sh, -c, \"true\"]", "command: []", "spec.replicas.master.template.spec.containers[0].command"),
        Arguments.of("  framework: pytorch", "  frameworks: x\n  framework: pytorch", "spec.frameworks"),
        Arguments.of("name: bad", "name: Bad_Name", "metadata.name"));
  }

  @ParameterizedTest(name = "{2}")
  @MethodSource("invalidSpecs")
  void anInvalidSpecIsRejectedWithItsFieldPathAndNothingStarts(String from, String to, String path) throws Exception {
    String valid = Jobs.shellJob("bad", "invalid", "Never", "true", 0, null, null);
    String text = valid.replace(from, to);
    assertFalse(text.equals(valid), "the test changed the manifest");
    LocalCapstan.Result r = capstan.run("apply", "-f", capstan.manifest("bad.yaml", text).toString());
    assertEquals(1, r.exitCode());
    assertTrue(r.stderr().contains(path), r.stderr());
    assertEquals(1, r.stderr().strip().lines().count(), "one line: " + r.stderr());
    assertFalse(r.stderr().contains("Exception"), r.stderr());
    assertEquals(1, capstan.run("get", "trainingjob", "bad", "-n", "invalid").exitCode());
    assertEquals(java.util.List.of(), LocalCapstan.processesOfNamespace("invalid"));
  }

  @Test
  void aYamlErrorNamesItsLineAndColumn() throws Exception {
    Path file = capstan.manifest("broken.yaml", "apiVersion: capstan.dev/v1alpha1\nkind: TrainingJob\nmetadata:\n  name: [oops\n");
    LocalCapstan.Result r = capstan.run("apply", "-f", file.toString());
    assertEquals(1, r.exitCode());
    assertTrue(r.stderr().matches("(?s)error: .*broken.yaml: line \\d+, column \\d+: .*"), r.stderr());
  }

  @Test
  void aMissingFileIsOneClearLine() {
    LocalCapstan.Result r = capstan.run("apply", "-f", "no-such-file.yaml");
    assertEquals(1, r.exitCode());
    assertEquals("error: no such file or directory: no-such-file.yaml", r.stderr().strip());
  }

  @Test
  void manifestsCanComeFromStdin() {
    String yaml = Jobs.shellJob("from-stdin", "stdin", "Never", "true", 0, null, null);
    LocalCapstan.Result r = capstan.runWithStdin(yaml, "apply", "-f", "-");
    assertEquals(0, r.exitCode(), r.stderr());
    assertEquals("trainingjob/from-stdin created", r.stdout().strip());
  }
}
