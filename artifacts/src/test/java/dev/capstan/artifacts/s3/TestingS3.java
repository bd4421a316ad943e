package dev.capstan.artifacts.s3;

import dev.capstan.artifacts.ArtifactLimits;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import software.amazon.awssdk.services.s3.S3Client;

/** A real S3 API server in the test JVM: s3proxy over an in-memory blob store, on a loopback port, signature v4 checked. */
final class TestingS3 implements AutoCloseable {
  static final String ACCESS_KEY = "capstan-test";
  static final String SECRET_KEY = "capstan-test-secret";

  private static TestingS3 shared;

  private final BlobStoreContext context;
  private final S3Proxy proxy;

  /** One server for every test class of this JVM (it takes seconds to start), with the bucket {@code models}; stopped at exit. */
  static synchronized TestingS3 shared() throws Exception {
    if (shared == null) {
      shared = new TestingS3();
      try (S3Client client = shared.client()) {
        client.createBucket(b -> b.bucket("models"));
      }
      TestingS3 started = shared;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          started.close();
        } catch (Exception e) {
          // the JVM is leaving anyway
        }
      }));
    }
    return shared;
  }

  TestingS3() throws Exception {
    context = ContextBuilder.newBuilder("transient").credentials("unused", "unused").build(BlobStoreContext.class);
    proxy = S3Proxy.builder()
        .blobStore(context.getBlobStore())
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
        .endpoint(URI.create("http://127.0.0.1:0"))
        .build();
    proxy.start();
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!"STARTED".equals(proxy.getState())) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("s3proxy did not start: " + proxy.getState());
      }
      Thread.onSpinWait();
    }
  }

  /** The variables a process would be given to reach this server. */
  Map<String, String> environment(String artifactsUri) {
    var env = new HashMap<String, String>();
    env.put("CAPSTAN_ARTIFACTS_URI", artifactsUri);
    env.put("AWS_ENDPOINT_URL", "http://127.0.0.1:" + proxy.getPort());
    env.put("AWS_REGION", "us-east-1");
    env.put("AWS_ACCESS_KEY_ID", ACCESS_KEY);
    env.put("AWS_SECRET_ACCESS_KEY", SECRET_KEY);
    return env;
  }

  S3Settings settings(String artifactsUri) {
    return S3Settings.fromEnvironment(environment(artifactsUri));
  }

  S3ArtifactStore store(String artifactsUri) {
    return S3ArtifactStore.open(settings(artifactsUri), ArtifactLimits.DEFAULT);
  }

  /** A client of its own, to make buckets and to alter objects behind the store's back. */
  S3Client client() {
    return S3Clients.build(settings("s3://any-bucket"));
  }

  @Override
  public void close() throws Exception {
    proxy.stop();
    context.close();
  }
}
