package io.surprisal.job.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Checks a document against a Kubernetes structural schema (a CRD's openAPIV3Schema) the way the API
 * server does with strict field validation: types, enums, required fields, int-or-string, and
 * unknown fields rejected unless the schema preserves them. Test scope: it guards our manifests.
 */
final class StructuralSchema {
    private static final java.util.Set<String> ROOT_FIELDS = java.util.Set.of("apiVersion", "kind", "metadata");

    private StructuralSchema() {}

    static List<String> validate(JsonNode doc, JsonNode schema) {
        List<String> errors = new ArrayList<>();
        check(doc, schema, "", errors);
        return errors;
    }

    private static void check(JsonNode v, JsonNode s, String path, List<String> errors) {
        if (s == null || s.isMissingNode()) {
            return;
        }
        if (s.path("x-kubernetes-int-or-string").asBoolean(false)) {
            if (!(v.isIntegralNumber() || v.isTextual())) {
                errors.add(path + ": must be an integer or a string");
            }
            return;
        }
        String type = s.path("type").asText("");
        switch (type) {
            case "object" -> {
                if (!v.isObject()) {
                    errors.add(path + ": must be an object");
                    return;
                }
                JsonNode props = s.path("properties");
                JsonNode additional = s.path("additionalProperties");
                boolean preserve = s.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
                for (JsonNode req : s.path("required")) {
                    if (!v.has(req.asText())) {
                        errors.add(path + ": missing required field '" + req.asText() + "'");
                    }
                }
                Iterator<Map.Entry<String, JsonNode>> fields = v.fields();
                while (fields.hasNext()) {
                    Map.Entry<String, JsonNode> f = fields.next();
                    String p = path + "." + f.getKey();
                    if (path.isEmpty() && ROOT_FIELDS.contains(f.getKey())) {
                        continue; // every resource has these; CRD schemas leave them implicit
                    }
                    if (props.has(f.getKey())) {
                        check(f.getValue(), props.get(f.getKey()), p, errors);
                    } else if (additional.isObject()) {
                        check(f.getValue(), additional, p, errors);
                    } else if (!preserve && !(additional.isBoolean() && additional.asBoolean())) {
                        errors.add(p + ": unknown field");
                    }
                }
            }
            case "array" -> {
                if (!v.isArray()) {
                    errors.add(path + ": must be an array");
                    return;
                }
                for (int i = 0; i < v.size(); i++) {
                    check(v.get(i), s.path("items"), path + "[" + i + "]", errors);
                }
            }
            case "string" -> {
                if (!v.isTextual()) {
                    errors.add(path + ": must be a string, got " + v.getNodeType());
                }
            }
            case "integer" -> {
                if (!v.isIntegralNumber()) {
                    errors.add(path + ": must be an integer");
                }
            }
            case "number" -> {
                if (!v.isNumber()) {
                    errors.add(path + ": must be a number");
                }
            }
            case "boolean" -> {
                if (!v.isBoolean()) {
                    errors.add(path + ": must be a boolean");
                }
            }
            default -> {
                // no type: anything goes (preserve-unknown-fields subtrees)
            }
        }
        JsonNode en = s.path("enum");
        if (en.isArray() && en.size() > 0) {
            boolean found = false;
            for (JsonNode e : en) {
                found |= e.equals(v);
            }
            if (!found) {
                errors.add(path + ": '" + v.asText() + "' is not one of " + en);
            }
        }
    }
}
