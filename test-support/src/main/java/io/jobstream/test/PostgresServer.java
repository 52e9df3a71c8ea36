package io.jobstream.test;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a PostgreSQL server is and how to log in: the throwaway cluster, or the server named by
 * {@code DATABASE_URL} ({@code jdbc:postgresql://host:port/db?user=..&password=..}).
 *
 * @param hostPort     {@code host:port}
 * @param database     the database the admin connection uses to create test databases
 * @param otherParams  URL parameters other than the credentials (e.g. {@code sslmode=require}), or empty
 */
record PostgresServer(String hostPort, String database, String otherParams, String username, String password) {

    private static final String PREFIX = "jdbc:postgresql://";

    static PostgresServer parse(String jdbcUrl) {
        if (!jdbcUrl.startsWith(PREFIX)) {
            throw new IllegalArgumentException("DATABASE_URL must look like " + PREFIX
                    + "host:port/db?user=..&password=.., was " + jdbcUrl);
        }
        URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
        String username = "";
        String password = "";
        List<String> other = new ArrayList<>();
        if (uri.getRawQuery() != null) {
            for (String param : uri.getRawQuery().split("&")) {
                String[] pair = param.split("=", 2);
                String value = pair.length == 2 ? URLDecoder.decode(pair[1], StandardCharsets.UTF_8) : "";
                switch (pair[0]) {
                    case "user" -> username = value;
                    case "password" -> password = value;
                    default -> other.add(param);
                }
            }
        }
        String database = uri.getPath() == null || uri.getPath().length() <= 1 ? "postgres" : uri.getPath().substring(1);
        return new PostgresServer(uri.getRawAuthority(), database, String.join("&", other), username, password);
    }

    /** The JDBC URL of {@code db} on this server, without credentials. */
    String jdbcUrl(String db) {
        return PREFIX + hostPort + "/" + db + (otherParams.isEmpty() ? "" : "?" + otherParams);
    }
}
