package dev.capstan.artifacts.s3;

import dev.capstan.core.registry.ArtifactException;
import dev.capstan.core.registry.ArtifactException.Reason;
import dev.capstan.core.registry.ArtifactPath;

/** An artifact's place on S3, parsed from its manifest URI {@code s3://bucket/prefix/key}. */
record S3Location(String bucket, String base) {
  static S3Location of(String uri) {
    if (uri == null || !uri.startsWith("s3://")) {
      throw new ArtifactException(Reason.NOT_FOUND, uri + ": is not an s3:// artifact URI");
    }
    String rest = uri.substring("s3://".length());
    int slash = rest.indexOf('/');
    if (slash <= 0 || slash == rest.length() - 1) {
      throw new ArtifactException(Reason.NOT_FOUND, uri + ": names no object prefix after the bucket");
    }
    return new S3Location(rest.substring(0, slash), ArtifactPath.check(rest.substring(slash + 1), "uri"));
  }

  String objectKey(String path) {
    return base + "/" + path;
  }

  String uri(String path) {
    return "s3://" + bucket + "/" + objectKey(path);
  }
}
