package io.surprisal.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Resolves the configuration once: the defaults ({@code conf/surprisal.yaml}, bundled as a
 * resource), then a user's file over them, then {@code --set key.path=value} overrides; unknown
 * keys are errors, so a typo never silently falls back to a default.
 */
public final class ConfigLoader {
    /** Classpath copy of conf/surprisal.yaml, made by the build. */
    public static final String DEFAULTS_RESOURCE = "/surprisal.yaml";

    private static final ObjectMapper YAML = JsonMapper.builder(new YAMLFactory())
            .propertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .addModule(new SimpleModule().addDeserializer(Duration.class, new DurationDeserializer()))
            .build();

    /**
     * Keys that name Flink runtime settings, which live in Flink's configuration (conf/flink/config.yaml,
     * {@code -D} on the launchers, the FlinkDeployment's flinkConfiguration), each with its Flink key:
     * the job never overrides the cluster's settings, so giving one to the job is an error that says
     * where it goes.
     */
    static final Map<String, String> FLINK_SETTINGS = Map.of(
            "job.parallelism", "parallelism.default",
            "state.backend", "state.backend.type",
            "state.incremental", "execution.checkpointing.incremental",
            "state.checkpoint-dir", "execution.checkpointing.dir",
            "state.checkpoint-interval", "execution.checkpointing.interval");

    /**
     * Sections that live elsewhere, each with its place: a key under one is an error that names
     * the key to write instead.
     */
    static final Map<String, String> MOVED = Map.of("cep.bot-velocity", "detectors.velocity");

    private ConfigLoader() {}

    /** The defaults alone. */
    public static SurprisalConfig defaults() {
        return load(null, List.of());
    }

    /**
     * @param file a YAML file whose keys override the defaults, or null
     * @param overrides {@code key.path=value} pairs applied last
     */
    public static SurprisalConfig load(Path file, List<String> overrides) {
        ObjectNode tree = readDefaults();
        if (file != null) {
            try {
                JsonNode user = YAML.readTree(Files.readString(file));
                if (user != null && !user.isMissingNode() && !user.isNull()) {
                    if (!user.isObject()) {
                        throw new ConfigException(file + ": the top level must be a mapping of keys");
                    }
                    merge(tree, (ObjectNode) user, "");
                }
            } catch (IOException e) {
                throw new ConfigException("cannot read configuration " + file + ": " + e.getMessage(), e);
            }
        }
        for (String override : overrides) {
            applyOverride(tree, override);
        }
        return fromTree(tree);
    }

    /** Parses a complete tree (used by tests and by the Kubernetes manifest check). */
    public static SurprisalConfig fromYaml(String yaml) {
        try {
            ObjectNode tree = readDefaults();
            JsonNode user = YAML.readTree(yaml);
            if (user instanceof ObjectNode o) {
                merge(tree, o, "");
            }
            return fromTree(tree);
        } catch (IOException e) {
            throw new ConfigException("cannot parse configuration: " + e.getMessage(), e);
        }
    }

    private static SurprisalConfig fromTree(ObjectNode tree) {
        SurprisalConfig config;
        try {
            config = YAML.treeToValue(tree, SurprisalConfig.class);
        } catch (UnrecognizedPropertyException e) {
            throw unknownKey(path(e), e);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ConfigException("invalid configuration: " + e.getOriginalMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("invalid configuration: " + e.getMessage(), e);
        }
        ConfigValidator.validate(config);
        return config;
    }

    private static ConfigException unknownKey(String key, Throwable cause) {
        for (Map.Entry<String, String> moved : MOVED.entrySet()) {
            if (key.equals(moved.getKey()) || key.startsWith(moved.getKey() + ".")) {
                String to = moved.getValue() + key.substring(moved.getKey().length());
                return new ConfigException("unknown configuration key '" + key + "': it is '" + to + "'", cause);
            }
        }
        String flinkKey = FLINK_SETTINGS.get(key);
        String message = flinkKey == null ? "unknown configuration key '" + key + "'"
                : "'" + key + "' is a Flink runtime setting, not the job's: set " + flinkKey
                        + " in Flink's configuration (conf/flink/config.yaml; -D" + flinkKey
                        + "=... with bin/surprisal or flink run; the FlinkDeployment's flinkConfiguration on Kubernetes)";
        return new ConfigException(message, cause);
    }

    private static String path(UnrecognizedPropertyException e) {
        StringBuilder sb = new StringBuilder();
        for (var ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            }
        }
        return sb.toString();
    }

    private static ObjectNode readDefaults() {
        try (InputStream in = ConfigLoader.class.getResourceAsStream(DEFAULTS_RESOURCE)) {
            if (in == null) {
                throw new ConfigException("the defaults resource " + DEFAULTS_RESOURCE + " is missing from the build");
            }
            return (ObjectNode) YAML.readTree(in);
        } catch (IOException e) {
            throw new ConfigException("cannot read the defaults: " + e.getMessage(), e);
        }
    }

    private static void merge(ObjectNode target, ObjectNode source, String prefix) {
        Iterator<Map.Entry<String, JsonNode>> fields = source.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            JsonNode existing = target.get(f.getKey());
            if (existing instanceof ObjectNode e && f.getValue() instanceof ObjectNode v) {
                merge(e, v, prefix + f.getKey() + ".");
            } else {
                target.set(f.getKey(), f.getValue());
            }
        }
    }

    private static void applyOverride(ObjectNode tree, String override) {
        int eq = override.indexOf('=');
        if (eq <= 0) {
            throw new ConfigException("--set takes key.path=value, got '" + override + "'");
        }
        String key = override.substring(0, eq).trim();
        String raw = override.substring(eq + 1);
        String[] parts = key.split("\\.");
        ObjectNode node = tree;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode child = node.get(parts[i]);
            if (!(child instanceof ObjectNode)) {
                throw unknownKey(key, null);
            }
            node = (ObjectNode) child;
        }
        String leaf = parts[parts.length - 1];
        if (!node.has(leaf)) {
            throw unknownKey(key, null);
        }
        JsonNode value;
        try {
            value = raw.isEmpty() ? node.textNode("") : YAML.readTree(raw);
        } catch (IOException e) {
            value = node.textNode(raw);
        }
        if (value == null || value.isMissingNode()) {
            value = node.textNode(raw);
        }
        node.set(leaf, value);
    }

    /** Reads durations such as {@code 5s} or {@code PT5S}. */
    private static final class DurationDeserializer extends JsonDeserializer<Duration> {
        @Override
        public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            return Durations.parse(p.getValueAsString());
        }
    }
}
