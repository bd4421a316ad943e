package dev.capstan.local.mlflow;

/**
 * A request the MLflow REST layer refuses, with MLflow's error code. It is answered as
 * {@code {"error_code": …, "message": …}} with the HTTP status MLflow's server uses for that code.
 */
public final class MlflowError extends RuntimeException {
  /** MLflow's error codes that this layer answers, each with the status MLflow sends it with. */
  public enum Code {
    RESOURCE_DOES_NOT_EXIST(404),
    RESOURCE_ALREADY_EXISTS(400),
    INVALID_PARAMETER_VALUE(400),
    /** A compare-and-set lost (an alias moved meanwhile) or the resource is in use. */
    RESOURCE_CONFLICT(409),
    ENDPOINT_NOT_FOUND(404),
    BAD_REQUEST(400),
    INTERNAL_ERROR(500);

    private final int httpStatus;

    Code(int httpStatus) {
      this.httpStatus = httpStatus;
    }

    public int httpStatus() {
      return httpStatus;
    }
  }

  private final Code code;
  private final int httpStatus;

  public MlflowError(Code code, String message) {
    this(code, code.httpStatus(), message);
  }

  /** For the few answers whose HTTP status is not the code's own (405, 413). */
  public MlflowError(Code code, int httpStatus, String message) {
    super(message);
    this.code = code;
    this.httpStatus = httpStatus;
  }

  public static MlflowError notFound(String message) {
    return new MlflowError(Code.RESOURCE_DOES_NOT_EXIST, message);
  }

  public static MlflowError alreadyExists(String message) {
    return new MlflowError(Code.RESOURCE_ALREADY_EXISTS, message);
  }

  public static MlflowError invalid(String message) {
    return new MlflowError(Code.INVALID_PARAMETER_VALUE, message);
  }

  public static MlflowError conflict(String message) {
    return new MlflowError(Code.RESOURCE_CONFLICT, message);
  }

  public Code code() {
    return code;
  }

  public int httpStatus() {
    return httpStatus;
  }
}
