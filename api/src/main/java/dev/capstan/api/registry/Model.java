package dev.capstan.api.registry;

import dev.capstan.api.training.TrainingJob;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A registered model: a description, tags and aliases ({@code production: 3}) that name its
 * versions ({@link ModelVersion}). Aliases change only by compare-and-set on the Model's
 * resourceVersion.
 */
@Group(TrainingJob.GROUP)
@Version(TrainingJob.VERSION)
@Kind(Model.KIND)
@Plural(Model.PLURAL)
@ShortNames("mdl")
public class Model extends CustomResource<ModelSpec, ModelStatus> implements Namespaced {
  public static final String KIND = "Model";
  public static final String PLURAL = "models";
}
