package dev.kestrel.inference.model;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kestrel.inference.ModelFolderException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reading the small JSON files of a model folder, with messages that name the file. */
final class JsonFiles {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonFiles() {}

    static JsonNode read(Path file, Path folder) {
        try {
            JsonNode node = MAPPER.readTree(file.toFile());
            if (node == null || !node.isObject()) {
                throw new ModelFolderException(folder.relativize(file) + " in " + folder + " is not a JSON object");
            }
            return node;
        } catch (JacksonException e) {
            throw new ModelFolderException(folder.relativize(file) + " in " + folder + " is not valid JSON (line "
                    + e.getLocation().getLineNr() + ": " + e.getOriginalMessage() + ")", e);
        } catch (IOException e) {
            throw new ModelFolderException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** An int or a list of ints (as eos_token_id may be either); anything else is no ids. */
    static List<Integer> intList(JsonNode node) {
        List<Integer> ids = new ArrayList<>();
        if (node == null || node.isNull()) {
            return ids;
        }
        if (node.isArray()) {
            node.forEach(n -> {
                if (n.canConvertToInt()) {
                    ids.add(n.asInt());
                }
            });
        } else if (node.canConvertToInt()) {
            ids.add(node.asInt());
        }
        return ids;
    }
}
