package dev.capstan.serve.rest;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.capstan.serve.InferResponse;
import dev.capstan.serve.engine.TensorSpec;
import dev.capstan.serve.model.LoadedModel;
import dev.capstan.serve.tensor.BFloat16;
import dev.capstan.serve.tensor.DataType;
import dev.capstan.serve.tensor.RawForm;
import dev.capstan.serve.tensor.Tensor;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Writes the REST protocol's response bodies. */
public final class ResponseJson {
    private ResponseJson() {
    }

    public static void infer(InferResponse response, OutputStream out) throws IOException {
        infer(response, BinaryOutputs.NONE, out);
    }

    /** The JSON of an infer response; an output sent in binary has {@code parameters.binary_data_size} instead of {@code data}. */
    static void infer(InferResponse response, BinaryOutputs binary, OutputStream out) throws IOException {
        try (JsonGenerator json = Json.FACTORY.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("model_name", response.modelName());
            json.writeStringField("model_version", response.modelVersion());
            json.writeStringField("id", response.id());
            json.writeArrayFieldStart("outputs");
            for (Tensor output : response.outputs()) {
                json.writeStartObject();
                json.writeStringField("name", output.name());
                json.writeStringField("datatype", output.type().name());
                json.writeFieldName("shape");
                json.writeArray(output.shape(), 0, output.rank());
                if (binary.binary(output.name())) {
                    json.writeObjectFieldStart("parameters");
                    json.writeNumberField("binary_data_size", RawForm.size(output));
                    json.writeEndObject();
                } else {
                    json.writeFieldName("data");
                    data(json, output);
                }
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
    }

    private static void data(JsonGenerator json, Tensor tensor) throws IOException {
        int count = (int) tensor.elementCount();
        json.writeStartArray();
        if (tensor.type() == DataType.BYTES) {
            for (byte[] value : tensor.strings()) {
                json.writeString(new String(value, StandardCharsets.UTF_8));
            }
            json.writeEndArray();
            return;
        }
        ByteBuffer data = tensor.data();
        for (int i = 0; i < count; i++) {
            switch (tensor.type()) {
                case BOOL -> json.writeBoolean(data.get(i) != 0);
                case UINT8 -> json.writeNumber(data.get(i) & 0xff);
                case INT8 -> json.writeNumber(data.get(i));
                case UINT16 -> json.writeNumber(data.getShort(i * 2) & 0xffff);
                case INT16 -> json.writeNumber(data.getShort(i * 2));
                case UINT32 -> json.writeNumber(data.getInt(i * 4) & 0xffffffffL);
                case INT32 -> json.writeNumber(data.getInt(i * 4));
                case UINT64 -> json.writeNumber(Long.toUnsignedString(data.getLong(i * 8)));
                case INT64 -> json.writeNumber(data.getLong(i * 8));
                case FP16 -> json.writeNumber(Float.float16ToFloat(data.getShort(i * 2)));
                case BF16 -> json.writeNumber(BFloat16.toFloat(data.getShort(i * 2)));
                case FP32 -> json.writeNumber(data.getFloat(i * 4));
                case FP64 -> json.writeNumber(data.getDouble(i * 8));
                case BYTES -> throw new IllegalStateException();
            }
        }
        json.writeEndArray();
    }

    public static void error(String message, OutputStream out) throws IOException {
        try (JsonGenerator json = Json.FACTORY.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("error", message);
            json.writeEndObject();
        }
    }

    public static void serverMetadata(String name, String version, List<String> extensions, OutputStream out) throws IOException {
        try (JsonGenerator json = Json.FACTORY.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("name", name);
            json.writeStringField("version", version);
            json.writeArrayFieldStart("extensions");
            for (String extension : extensions) {
                json.writeString(extension);
            }
            json.writeEndArray();
            json.writeEndObject();
        }
    }

    public static void flag(String field, boolean value, OutputStream out) throws IOException {
        try (JsonGenerator json = Json.FACTORY.createGenerator(out)) {
            json.writeStartObject();
            json.writeBooleanField(field, value);
            json.writeEndObject();
        }
    }

    public static void modelReady(LoadedModel model, boolean ready, OutputStream out) throws IOException {
        try (JsonGenerator json = Json.FACTORY.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("name", model.name());
            json.writeBooleanField("ready", ready);
            json.writeEndObject();
        }
    }

    public static void modelMetadata(LoadedModel model, OutputStream out) throws IOException {
        try (JsonGenerator json = Json.FACTORY.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("name", model.name());
            json.writeArrayFieldStart("versions");
            json.writeString(model.version());
            json.writeEndArray();
            json.writeStringField("platform", model.platform());
            specs(json, "inputs", model.signature().inputs());
            specs(json, "outputs", model.signature().outputs());
            json.writeEndObject();
        }
    }

    /** KServe's answer to a repository load or unload: {@code {"name": m, "load": true}} or {@code {"name": m, "unload": true}}. */
    public static void repositoryAction(String model, String action, OutputStream out) throws IOException {
        try (JsonGenerator json = Json.FACTORY.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("name", model);
            json.writeBooleanField(action, true);
            json.writeEndObject();
        }
    }

    public static void repositoryIndex(java.util.Collection<LoadedModel> models, OutputStream out) throws IOException {
        try (JsonGenerator json = Json.FACTORY.createGenerator(out)) {
            json.writeStartArray();
            for (LoadedModel model : models) {
                json.writeStartObject();
                json.writeStringField("name", model.name());
                json.writeStringField("version", model.version());
                json.writeStringField("state", model.ready() ? "READY" : "UNAVAILABLE");
                json.writeEndObject();
            }
            json.writeEndArray();
        }
    }

    private static void specs(JsonGenerator json, String field, List<TensorSpec> specs) throws IOException {
        json.writeArrayFieldStart(field);
        for (TensorSpec spec : specs) {
            json.writeStartObject();
            json.writeStringField("name", spec.name());
            json.writeStringField("datatype", spec.type().name());
            long[] shape = spec.metadataShape();
            json.writeFieldName("shape");
            json.writeArray(shape, 0, shape.length);
            json.writeEndObject();
        }
        json.writeEndArray();
    }
}
