package io.surprisal.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The alert contract's JSON Schema in the repository (docs/schema), loaded for validation with formats asserted. */
final class AlertSchema {
    static final Path FILE = Path.of("../docs/schema/alert-v1.schema.json");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonSchema schema;
    final JsonNode document;

    AlertSchema() throws IOException {
        try (InputStream in = Files.newInputStream(FILE)) {
            document = JSON.readTree(in);
        }
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
        schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(document, config);
    }

    /** What is wrong with the alert (a JSON line), by the schema; empty when it validates. */
    List<String> violations(String alertJson) throws IOException {
        return schema.validate(JSON.readTree(alertJson)).stream().map(ValidationMessage::getMessage).sorted().toList();
    }
}
