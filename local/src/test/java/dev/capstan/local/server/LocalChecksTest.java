package dev.capstan.local.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.api.codec.Manifests;
import dev.capstan.api.training.TrainingJob;
import dev.capstan.api.training.TrainingJobModel;
import dev.capstan.api.validation.FieldError;
import dev.capstan.api.validation.InvalidSpecException;
import dev.capstan.local.LocalPaths;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What local mode refuses in a pod template, field by field: every field a replica process cannot
 * honour is named by its path, and what it honours or knowingly ignores is accepted.
 */
class LocalChecksTest {
  private static final ServerUser ALICE = new ServerUser(1000, 1000, Set.of(27L));
  private static final ServerUser ROOT = new ServerUser(0, 0, Set.of());
  private static final String SPEC = "spec.replicas.worker.template.spec";
  private static final String MAIN = SPEC + ".containers[0]";

  /** A generic job whose worker's pod spec carries {@code podFields} and its container {@code containerFields}. */
  private static TrainingJobModel job(String podFields, String containerFields) {
    String yaml = """
        apiVersion: capstan.dev/v1alpha1
        kind: TrainingJob
        metadata: {name: fields, namespace: team}
        spec:
          framework: generic
          replicas:
            worker:
              count: 1
              template:
                spec:
        %s
                  containers:
                  - name: main
                    command: [python3, train.py]
        %s
        """.formatted(indent(podFields, 10), indent(containerFields, 12));
    return TrainingJobModel.from((TrainingJob) Manifests.toResource(Manifests.parseDocuments(yaml, "t").get(0)));
  }

  private static String indent(String yaml, int spaces) {
    return yaml.isBlank() ? "" : yaml.strip().indent(spaces).stripTrailing();
  }

  private static List<String> refusedPaths(TrainingJobModel job, ServerUser user) {
    InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> LocalChecks.check(job, user));
    return e.errors().stream().map(FieldError::path).toList();
  }

  @Test
  void everyPodFieldAReplicaProcessCannotHonourIsRefusedWithItsPath() {
    TrainingJobModel job = job("""
        hostNetwork: true
        hostPID: true
        hostIPC: true
        securityContext:
          fsGroup: 4242
          supplementalGroups: [27, 4343]
          seLinuxOptions: {level: "s0:c123,c456"}
          sysctls: [{name: net.core.somaxconn, value: "1024"}]
        volumes:
        - {name: host, hostPath: {path: /}}
        - {name: data, persistentVolumeClaim: {claimName: data}}
        - {name: scratch, emptyDir: {}}
        initContainers:
        - {name: wait, command: [sh, -c, "true"]}
        ephemeralContainers:
        - {name: debug, command: [sh], securityContext: {privileged: true}}
        """, """
        securityContext:
          privileged: true
          runAsUser: 0
          runAsGroup: 0
          capabilities: {add: [NET_ADMIN]}
          procMount: Unmasked
          seLinuxOptions: {type: spc_t}
        ports: [{containerPort: 8080, hostPort: 80}]
        envFrom: [{secretRef: {name: creds}}]
        volumeMounts:
        - {name: host, mountPath: /host}
        - {name: scratch, mountPath: /scratch}
        """);
    assertEquals(List.of(
        SPEC + ".hostNetwork", SPEC + ".hostPID", SPEC + ".hostIPC",
        SPEC + ".initContainers[0]", SPEC + ".ephemeralContainers[0]",
        SPEC + ".volumes[0].hostPath", SPEC + ".volumes[1].persistentVolumeClaim", SPEC + ".volumes[2].emptyDir",
        MAIN + ".volumeMounts[0]", MAIN + ".volumeMounts[1]",
        MAIN + ".ports[0].hostPort", MAIN + ".envFrom[0]",
        SPEC + ".securityContext.sysctls[0]", SPEC + ".securityContext.fsGroup", SPEC + ".securityContext.supplementalGroups[1]",
        SPEC + ".securityContext.seLinuxOptions",
        MAIN + ".securityContext.privileged", MAIN + ".securityContext.capabilities.add", MAIN + ".securityContext.procMount",
        MAIN + ".securityContext.seLinuxOptions",
        MAIN + ".securityContext.runAsUser", MAIN + ".securityContext.runAsGroup"),
        refusedPaths(job, ALICE));
  }

  @Test
  void theMessageSaysWhyAndNamesTheServersUser() {
    InvalidSpecException e = assertThrows(InvalidSpecException.class,
        () -> LocalChecks.check(job("securityContext: {runAsUser: 0}", ""), ALICE));
    assertEquals(1, e.errors().size(), e.getMessage());
    assertEquals(SPEC + ".securityContext.runAsUser", e.errors().get(0).path());
    assertTrue(e.getMessage().contains("uid 1000"), e.getMessage());
  }

  @Test
  void aContainersOwnIdentityWinsOverThePods() {
    assertEquals(List.of(), accepted(job("securityContext: {runAsUser: 0, runAsGroup: 0}",
        "securityContext: {runAsUser: 1000, runAsGroup: 1000}"), ALICE));
    assertEquals(List.of(SPEC + ".securityContext.runAsUser"), refusedPaths(job("securityContext: {runAsUser: 7}", ""), ALICE));
  }

  @Test
  void runAsNonRootIsRefusedOnlyWhenTheServerRunsAsRoot() {
    TrainingJobModel nonRoot = job("securityContext: {runAsNonRoot: true}", "");
    assertEquals(List.of(), accepted(nonRoot, ALICE));
    assertEquals(List.of(SPEC + ".securityContext.runAsNonRoot"), refusedPaths(nonRoot, ROOT));
    assertEquals(List.of(), accepted(job("securityContext: {runAsUser: 0}", ""), ROOT));
  }

  @Test
  void otherContainersAreRefusedBecauseOnlyTheMainOneRuns() {
    String yaml = """
        apiVersion: capstan.dev/v1alpha1
        kind: TrainingJob
        metadata: {name: sidecar, namespace: team}
        spec:
          framework: pytorch
          replicas:
            worker:
              count: 1
              template:
                spec:
                  containers:
                  - {name: proxy, command: [envoy]}
                  - {name: pytorch, command: [python3, train.py]}
        """;
    TrainingJobModel job = TrainingJobModel.from((TrainingJob) Manifests.toResource(Manifests.parseDocuments(yaml, "t").get(0)));
    assertEquals(List.of(SPEC + ".containers[0]"), refusedPaths(job, ALICE));
  }

  @Test
  void whatAReplicaProcessHonoursOrKnowinglyIgnoresIsAccepted() {
    TrainingJobModel job = job("""
        hostNetwork: false
        securityContext:
          runAsUser: 1000
          runAsGroup: 1000
          fsGroup: 27
          supplementalGroups: [1000, 27]
          runAsNonRoot: true
          seccompProfile: {type: RuntimeDefault}
          appArmorProfile: {type: RuntimeDefault}
        volumes:
        - {name: dshm, emptyDir: {medium: Memory}}
        """, """
        securityContext:
          privileged: false
          allowPrivilegeEscalation: false
          readOnlyRootFilesystem: true
          capabilities: {drop: [ALL]}
          procMount: Default
          seccompProfile: {type: Localhost, localhostProfile: train.json}
        ports: [{containerPort: 29500, name: pytorchjob-port}]
        volumeMounts:
        - {name: dshm, mountPath: /dev/shm}
        """);
    assertEquals(List.of(), accepted(job, ALICE));
  }

  @Test
  void applyingOverTheLocalApiAnswers422NamingEachRefusedField(@TempDir Path home) throws Exception {
    String job = """
        {"apiVersion": "capstan.dev/v1alpha1", "kind": "TrainingJob", "spec": {"framework": "generic", "replicas": {"worker": {
          "count": 1, "template": {"spec": {
            "hostNetwork": true,
            "volumes": [{"name": "root", "hostPath": {"path": "/"}}],
            "containers": [{"name": "main", "command": ["true"], "securityContext": {"privileged": true}}]}}}}}}
        """;
    try (LocalControlPlane plane = LocalControlPlane.start(new LocalPaths(home), 0)) {
      HttpRequest put = HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + plane.port() + "/apis/capstan.dev/v1alpha1/namespaces/team/trainingjobs/fields"))
          .header("Authorization", "Bearer " + Files.readString(home.resolve("token")).strip())
          .PUT(HttpRequest.BodyPublishers.ofString(job)).build();
      HttpResponse<String> response = HttpClient.newHttpClient().send(put, HttpResponse.BodyHandlers.ofString());
      assertEquals(422, response.statusCode(), response.body());
      JsonNode body = Manifests.json().readTree(response.body());
      List<String> paths = new ArrayList<>();
      body.path("fields").forEach(f -> paths.add(f.path("path").asText()));
      assertEquals(List.of(SPEC + ".hostNetwork", SPEC + ".volumes[0].hostPath", MAIN + ".securityContext.privileged"), paths);
      assertTrue(body.path("error").asText().contains(MAIN + ".securityContext.privileged"), response.body());
    }
  }

  @Test
  void theServersUserIsThisProcesssUser() throws Exception {
    ServerUser user = ServerUser.current();
    assertEquals(((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue(), user.uid());
    assertTrue(user.hasGroup(user.gid()));
  }

  private static List<String> accepted(TrainingJobModel job, ServerUser user) {
    try {
      LocalChecks.check(job, user);
      return List.of();
    } catch (InvalidSpecException e) {
      return e.errors().stream().map(FieldError::path).toList();
    }
  }
}
