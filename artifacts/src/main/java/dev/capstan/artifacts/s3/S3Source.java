package dev.capstan.artifacts.s3;

import dev.capstan.artifacts.ArtifactLimits;
import dev.capstan.artifacts.OpenedSource;
import dev.capstan.core.registry.ArtifactException;
import dev.capstan.core.registry.ArtifactException.Reason;
import dev.capstan.core.registry.ArtifactPath;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Every object under an S3 prefix ({@code s3://bucket/prefix}), as an artifact source: what a job
 * wrote to its output URI, to be registered. The listing is taken once, stops one past the file
 * limit, and refuses an object key whose path under the prefix breaks {@link ArtifactPath}
 * ({@code ..}, {@code %2e%2e}, {@code //}…), naming the key. Directory markers (keys ending in
 * {@code /}) are skipped.
 */
public final class S3Source implements OpenedSource {
  private final S3Client client;
  private final S3Location location;
  private final List<Entry> entries;
  private final S3Errors errors;

  private S3Source(S3Client client, S3Location location, List<Entry> entries) {
    this.client = client;
    this.location = location;
    this.entries = entries;
    this.errors = new S3Errors(location.bucket());
  }

  /** Lists {@code uri} with a client built from the environment's endpoint, region and credentials. */
  public static S3Source open(String uri, Map<String, String> env, ArtifactLimits limits) {
    S3Location location = S3Location.of(uri);
    var withUri = new HashMap<>(env);
    withUri.put("CAPSTAN_ARTIFACTS_URI", uri);
    S3Client client = S3Clients.build(S3Settings.fromEnvironment(withUri));
    try {
      return new S3Source(client, location, list(client, location, limits));
    } catch (RuntimeException e) {
      client.close();
      throw e;
    }
  }

  @Override
  public List<Entry> entries() {
    return entries;
  }

  @Override
  public InputStream open(String path) {
    ArtifactPath.check(path, "path");
    try {
      return client.getObject(b -> b.bucket(location.bucket()).key(location.objectKey(path)));
    } catch (SdkException e) {
      throw errors.of(e, path + ": cannot download " + location.uri(path));
    }
  }

  @Override
  public void close() {
    client.close();
  }

  private static List<Entry> list(S3Client client, S3Location location, ArtifactLimits limits) {
    String prefix = location.base() + "/";
    var entries = new ArrayList<Entry>();
    try {
      for (S3Object object : client.listObjectsV2Paginator(b -> b.bucket(location.bucket()).prefix(prefix)).contents()) {
        String path = object.key().substring(prefix.length());
        if (path.endsWith("/") && object.size() == 0) {
          continue;
        }
        ArtifactPath.check(path, "s3://" + location.bucket() + "/" + object.key());
        entries.add(new Entry(path, object.size()));
        if (entries.size() > limits.maxFiles()) {
          break;
        }
      }
    } catch (SdkException e) {
      throw new S3Errors(location.bucket()).of(e, "cannot list s3://" + location.bucket() + "/" + prefix);
    }
    if (entries.isEmpty()) {
      throw new ArtifactException(Reason.NOT_FOUND, "s3://" + location.bucket() + "/" + prefix + " holds no objects");
    }
    return List.copyOf(entries);
  }
}
