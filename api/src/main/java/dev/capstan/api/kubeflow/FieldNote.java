package dev.capstan.api.kubeflow;

/** A Kubeflow field that was accepted but is not acted on as Kubeflow would, and what happens instead. */
public record FieldNote(String path, String note) {
  @Override
  public String toString() {
    return path + ": " + note;
  }
}
