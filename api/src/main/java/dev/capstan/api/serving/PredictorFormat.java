package dev.capstan.api.serving;

import dev.capstan.api.validation.WireEnum;

/** The model formats Capstan's model server opens ({@code spec.predictor.model.modelFormat.name}). */
public enum PredictorFormat implements WireEnum {
  ONNX("onnx"),
  PYTORCH("pytorch"),
  CAPSTAN_DJL("capstan-djl");

  private final String wire;

  PredictorFormat(String wire) {
    this.wire = wire;
  }

  @Override
  public String wire() {
    return wire;
  }
}
