package io.jobstream.avro;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import org.apache.avro.Schema;

/**
 * The earlier versions of each schema, kept as {@code avro-history/<full name>/v<n>.avsc}
 * resources, so events written before a schema changed stay readable.
 */
public final class SchemaHistory {

    private SchemaHistory() {
    }

    public static List<Schema> versionsOf(String fullName) {
        List<Schema> versions = new ArrayList<>();
        for (int version = 1; ; version++) {
            String resource = "avro-history/" + fullName + "/v" + version + ".avsc";
            try (InputStream in = SchemaHistory.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    return versions;
                }
                versions.add(new Schema.Parser().parse(in));
            } catch (IOException e) {
                throw new IllegalStateException("cannot read schema " + resource, e);
            }
        }
    }
}
