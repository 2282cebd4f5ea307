package dev.kestrel.inference.vision.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The test images of src/test/resources/images/ and what Pillow 9.4 made of them
 * (parity/images/make_golden.py): index.json, the decoded pictures, the resize sheets.
 */
final class PillowGolden {

    static final JsonNode INDEX = readIndex();

    /** One input file as Pillow saw it. */
    record Input(String file, String pillowMode, int width, int height, boolean lossless, String decoded,
            List<Resized> resized, String resizedSheet) {

        byte[] bytes() {
            return resource("/images/" + file);
        }

        /** Pillow's picture, decoded and (when the file's pixels are exact) trusted as exact. */
        RgbImage pillowDecoded() {
            return goldenPng(decoded);
        }

        @Override
        public String toString() {
            return file;
        }
    }

    /** One Image.resize result: where it sits in its input's sheet. */
    record Resized(String label, int width, int height, Resampling resampling, int top) {

        @Override
        public String toString() {
            return label + " to " + width + "x" + height + " " + resampling;
        }
    }

    private PillowGolden() {
    }

    static List<Input> inputs() {
        List<Input> inputs = new ArrayList<>();
        for (JsonNode image : INDEX.get("images")) {
            List<Resized> resized = new ArrayList<>();
            for (JsonNode r : image.get("resized")) {
                resized.add(new Resized(r.get("case").asText(), r.get("width").asInt(), r.get("height").asInt(),
                        Resampling.fromPillowCode(r.get("resample").asInt()), r.get("top").asInt()));
            }
            inputs.add(new Input(image.get("file").asText(), image.get("pillowMode").asText(), image.get("width").asInt(),
                    image.get("height").asInt(), image.get("lossless").asBoolean(), image.get("decoded").asText(),
                    List.copyOf(resized), image.path("resizedSheet").asText(null)));
        }
        return inputs;
    }

    static Input input(String file) {
        return inputs().stream().filter(i -> i.file().equals(file)).findFirst().orElseThrow();
    }

    static byte[] resource(String path) {
        try (InputStream in = PillowGolden.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException(path + " is missing: run parity/images/make_golden.py");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An RGB PNG Pillow wrote: lossless, so any correct PNG reader gives Pillow's bytes. */
    static RgbImage goldenPng(String name) {
        return new ImageDecoder().decode(resource("/images/pillow/" + name), name);
    }

    private static JsonNode readIndex() {
        try {
            return new ObjectMapper().readTree(resource("/images/pillow/index.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
