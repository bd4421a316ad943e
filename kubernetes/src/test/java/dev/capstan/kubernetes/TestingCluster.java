package dev.capstan.kubernetes;

import dev.capstan.api.codec.Manifests;
import dev.capstan.api.training.TrainingJob;
import dev.capstan.core.ports.Clock;
import dev.capstan.kubernetes.operator.CapstanOperator;
import dev.capstan.kubernetes.operator.Leadership;
import dev.capstan.kubernetes.operator.OperatorSettings;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.util.HashMap;
import java.util.Queue;
import io.javaoperatorsdk.operator.Operator;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * A fabric8 mock API server in CRUD mode with the generated TrainingJob and InferenceService CRDs installed, schedulable
 * nodes, and the operator running against it through its own client (told apart by its user
 * agent, so every request it makes can be checked against the committed RBAC).
 */
public final class TestingCluster implements AutoCloseable {
  public static final String OPERATOR_AGENT = "capstan-operator-under-test";
  public static final String OPERATOR_NAMESPACE = "capstan-system";
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  private final Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
  private final ApiFaults faults = new ApiFaults();
  private final RecordingDispatcher recorder = new RecordingDispatcher(new KubernetesMixedDispatcher(expectations), faults);
  private final KubernetesMockServer server = new KubernetesMockServer(
      new Context(), new MockWebServer(), expectations, recorder, true);
  private final KubernetesClient client;
  private final List<RunningOperator> operators = new ArrayList<>();
  private int started;

  public TestingCluster() {
    server.init();
    client = server.createClient();
    install(generatedCrd());
    install(generatedCrd(INFERENCE_SERVICE_CRD));
    install(generatedCrd("queues.capstan.dev-v1.yml"));
    install(generatedCrd("workloadpriorityclasses.capstan.dev-v1.yml"));
    answerPermissionReviews();
  }

  /** A slow first answer on a loaded machine makes the client send its POST again: the 409 is the first one's. */
  private void install(CustomResourceDefinition crd) {
    try {
      client.resource(crd).create();
    } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
    }
  }

  /**
   * Leader election starts with a SelfSubjectRulesReview (allowed to every authenticated user);
   * the mock server has no authorizer, so it answers with what deploy/rbac.yaml grants on leases.
   */
  private void answerPermissionReviews() {
    var review = new SelfSubjectRulesReviewBuilder().withNewMetadata().endMetadata()
        .withNewSpec().withNamespace(OPERATOR_NAMESPACE).endSpec()
        .withNewStatus().withIncomplete(false)
        .addNewResourceRule().withApiGroups("coordination.k8s.io").withResources("leases")
        .withVerbs("get", "create", "update", "patch").endResourceRule()
        .endStatus().build();
    server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
        .andReturn(201, review).always();
  }

  public static CustomResourceDefinition generatedCrd() {
    return generatedCrd("trainingjobs.capstan.dev-v1.yml");
  }

  public static final String INFERENCE_SERVICE_CRD = "inferenceservices.capstan.dev-v1.yml";

  /** A CRD the build generated, by file name under META-INF/fabric8/. */
  public static CustomResourceDefinition generatedCrd(String file) {
    try (InputStream in = TestingCluster.class.getResourceAsStream("/META-INF/fabric8/" + file)) {
      if (in == null) {
        throw new IllegalStateException("the build did not generate " + file);
      }
      return Manifests.yaml().readValue(in, CustomResourceDefinition.class);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  public KubernetesClient client() {
    return client;
  }

  public KubernetesMockServer server() {
    return server;
  }

  public TestingCluster node(String name, String cpu, String memory) {
    client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name).endMetadata()
        .withNewStatus()
        .withAllocatable(Map.of("cpu", new Quantity(cpu), "memory", new Quantity(memory), "pods", new Quantity("110")))
        .withCapacity(Map.of("cpu", new Quantity(cpu), "memory", new Quantity(memory), "pods", new Quantity("110")))
        .addNewCondition().withType("Ready").withStatus("True").endCondition()
        .endStatus().build()).create();
    return this;
  }

  /** A client like the operator's in a pod: its own user agent, so its requests can be told apart. */
  public KubernetesClient operatorClient() {
    return operatorClient(OPERATOR_AGENT, new OperatorFreeze());
  }

  /** A client whose requests carry {@code agent}, so that {@link #requestsBy} tells them apart. */
  public KubernetesClient clientAs(String agent) {
    return operatorClient(agent, new OperatorFreeze());
  }

  /** Every request made so far by a client whose user agent contains {@code agent}. */
  public List<RecordingDispatcher.Request> requestsBy(String agent) {
    return recorder.requests().stream().filter(r -> r.userAgent() != null && r.userAgent().contains(agent)).toList();
  }

  private KubernetesClient operatorClient(String agent, OperatorFreeze freeze) {
    Config config = new ConfigBuilder(client.getConfiguration()).withUserAgent(agent).build();
    return new KubernetesClientBuilder().withConfig(config)
        .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("freeze", freeze)).build();
  }

  /** One operator process of the test: its identity (also in its user agent), leadership and freeze switch. */
  public record RunningOperator(Operator operator, String identity, String agent, Leadership leadership, OperatorFreeze freeze) {}

  public Operator startOperator() {
    return launch(true).operator();
  }

  /**
   * Starts an operator process on this API server, electing a leader through the Lease (short
   * lease and retry settings) or, without {@code elect}, reconciling at once.
   */
  public RunningOperator launch(boolean elect) {
    return launch(elect, s -> s);
  }

  /** As {@link #launch(boolean)}, with the test's settings changed by {@code adjust}. */
  public RunningOperator launch(boolean elect, UnaryOperator<OperatorSettings> adjust) {
    return launch(elect, adjust, Clock.system());
  }

  /** As {@link #launch(boolean, UnaryOperator)}, the operator's controllers reading {@code clock}. */
  public RunningOperator launch(boolean elect, UnaryOperator<OperatorSettings> adjust, Clock clock) {
    String identity = "test-" + started++;
    String agent = OPERATOR_AGENT + "/" + identity;
    OperatorFreeze freeze = new OperatorFreeze();
    OperatorSettings settings = new OperatorSettings(Set.of(),
        elect ? Optional.of(new OperatorSettings.LeaseSettings("capstan-operator", OPERATOR_NAMESPACE, identity, false,
            Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ofMillis(300))) : Optional.empty(),
        Duration.ofMillis(200), Duration.ofSeconds(2));
    settings = adjust.apply(settings);
    Leadership leadership = elect ? Leadership.elected() : Leadership.always();
    Operator operator = CapstanOperator.create(operatorClient(agent, freeze), settings, clock, leadership);
    operator.start();
    RunningOperator running = new RunningOperator(operator, identity, agent, leadership, freeze);
    operators.add(running);
    return running;
  }

  public ApiFaults faults() {
    return faults;
  }

  public void stopOperators() {
    for (RunningOperator running : operators) {
      running.freeze().resume();
    }
    for (RunningOperator running : operators) {
      try {
        running.operator().stop();
      } catch (RuntimeException e) {
        // already stopped by the test
      }
    }
    operators.clear();
  }

  public TrainingJob apply(String yaml) {
    TrainingJob job = (TrainingJob) Manifests.toResource(Manifests.parseDocuments(yaml, "test").get(0));
    return client.resource(job).create();
  }

  public TrainingJob job(String namespace, String name) {
    return client.resources(TrainingJob.class).inNamespace(namespace).withName(name).get();
  }

  public List<Pod> pods(String namespace) {
    return client.pods().inNamespace(namespace).list().getItems().stream()
        .sorted(Comparator.comparing(p -> p.getMetadata().getName())).toList();
  }

  public List<Service> services(String namespace) {
    return client.services().inNamespace(namespace).list().getItems().stream()
        .sorted(Comparator.comparing(s -> s.getMetadata().getName())).toList();
  }

  public String state(String namespace, String name) {
    TrainingJob job = job(namespace, name);
    return job == null || job.getStatus() == null ? null : job.getStatus().getState();
  }

  public void awaitState(String namespace, String name, String state) {
    await(() -> state.equals(state(namespace, name)), () -> "TrainingJob " + namespace + "/" + name + " to be " + state
        + ", it is " + state(namespace, name) + ": " + (job(namespace, name).getStatus() == null ? "" : job(namespace, name).getStatus().getMessage()));
  }

  public List<Pod> awaitPods(String namespace, int count) {
    await(() -> pods(namespace).size() == count, () -> count + " pods in " + namespace + ", there are " + pods(namespace).size());
    return pods(namespace);
  }

  public static void await(BooleanSupplier condition, Supplier<String> what) {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("gave up waiting for " + what.get());
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }

  /** Every request the operator's client made so far. */
  public List<RecordingDispatcher.Request> operatorRequests() {
    return recorder.requests().stream().filter(r -> r.userAgent() != null && r.userAgent().contains(OPERATOR_AGENT)).toList();
  }

  @Override
  public void close() {
    stopOperators();
    client.close();
    server.destroy();
  }
}
