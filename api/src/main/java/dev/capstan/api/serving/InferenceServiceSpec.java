package dev.capstan.api.serving;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;

/** What an InferenceService asks for: one predictor (KServe's transformer and explainer are not supported). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class InferenceServiceSpec {
  @Required
  private PredictorSpec predictor;

  public PredictorSpec getPredictor() {
    return predictor;
  }

  public void setPredictor(PredictorSpec predictor) {
    this.predictor = predictor;
  }
}
