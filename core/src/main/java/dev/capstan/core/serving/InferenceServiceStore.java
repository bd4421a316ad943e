package dev.capstan.core.serving;

import dev.capstan.api.serving.InferenceService;
import dev.capstan.api.serving.InferenceServiceStatus;
import java.util.List;

/** Port: where InferenceServices live (an embedded store locally, the API server in a cluster). */
public interface InferenceServiceStore {
  List<InferenceService> list();

  /** Records a new status; called only when it changed. */
  void updateStatus(InferenceService service, InferenceServiceStatus status);

  /** Removes the service for good, once it is being deleted and its revisions are gone. */
  void remove(InferenceService service);
}
