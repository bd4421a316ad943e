package dev.capstan.artifacts.s3;

import dev.capstan.core.registry.ArtifactException;
import dev.capstan.core.registry.ArtifactException.Reason;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The one place where the SDK's errors become {@link ArtifactException}s with a reason and a hint. */
final class S3Errors {
  private final String bucket;

  S3Errors(String bucket) {
    this.bucket = bucket;
  }

  ArtifactException of(SdkException error, String doing) {
    if (!(error instanceof S3Exception s3)) {
      return new ArtifactException(Reason.UNAVAILABLE, doing + ": S3 could not be reached (" + error.getMessage()
          + "); check AWS_ENDPOINT_URL and the network", error);
    }
    String code = s3.awsErrorDetails() == null ? null : s3.awsErrorDetails().errorCode();
    int status = s3.statusCode();
    if ("NoSuchBucket".equals(code)) {
      return new ArtifactException(Reason.NOT_FOUND, doing + ": the bucket " + bucket
          + " does not exist (CAPSTAN_ARTIFACTS_BUCKET or CAPSTAN_ARTIFACTS_URI)", error);
    }
    if ("NoSuchKey".equals(code) || status == 404) {
      return new ArtifactException(Reason.NOT_FOUND, doing + ": no such object" + (code == null ? "" : " (" + code + ")"), error);
    }
    if ("InvalidAccessKeyId".equals(code) || "SignatureDoesNotMatch".equals(code)) {
      return new ArtifactException(Reason.ACCESS_DENIED, doing + ": S3 refused the credentials (" + code
          + "); check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY", error);
    }
    if (status == 401 || status == 403) {
      return new ArtifactException(Reason.ACCESS_DENIED, doing + ": S3 denied access (" + code
          + "); the credentials lack permission on the bucket " + bucket, error);
    }
    if ("BadDigest".equals(code) || "XAmzContentSHA256Mismatch".equals(code) || "InvalidDigest".equals(code)) {
      return new ArtifactException(Reason.CHECKSUM_MISMATCH, doing + ": S3 refused the bytes as they did not match their checksum ("
          + code + ")", error);
    }
    return new ArtifactException(Reason.UNAVAILABLE, doing + ": S3 answered " + status + (code == null ? "" : " " + code)
        + ": " + s3.awsErrorDetails().errorMessage(), error);
  }
}
