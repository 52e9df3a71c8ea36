package io.jobstream.core.web;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;

/**
 * Every route of every service documents the error responses it can give, each with the
 * {@link ErrorBody} schema, in one place rather than on each controller: what any route may answer
 * (400, 500, 503), what a route with a path variable adds (404), one with a request body (413, 415)
 * and a mutating one (401 when an admin key is configured, 409 when the target's state forbids it).
 * A response a controller documents itself is kept.
 */
@AutoConfiguration
@ConditionalOnClass(OpenApiCustomizer.class)
public class OpenApiErrorsAutoConfiguration {

    /** The schema name in {@code components}, as swagger-core names the record. */
    static final String SCHEMA = ErrorBody.class.getSimpleName();

    private static final Pattern PATH_VARIABLE = Pattern.compile("\\{[^}]+}");

    @Bean
    public OpenApiCustomizer errorResponses() {
        return OpenApiErrorsAutoConfiguration::document;
    }

    static void document(OpenAPI api) {
        if (api.getComponents() == null) {
            api.setComponents(new Components());
        }
        Map<String, Schema> schemas = ModelConverters.getInstance().readAll(ErrorBody.class);
        schemas.forEach(api.getComponents()::addSchemas);
        if (api.getPaths() == null) {
            return;
        }
        api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) ->
                errorsOf(path, method, operation).forEach((status, description) -> add(operation, status, description))));
    }

    private static Map<String, String> errorsOf(String path, PathItem.HttpMethod method, Operation operation) {
        Map<String, String> errors = new LinkedHashMap<>();
        errors.put("400", "Invalid request: the field at fault and why");
        boolean mutating = method != PathItem.HttpMethod.GET && method != PathItem.HttpMethod.HEAD
                && method != PathItem.HttpMethod.OPTIONS;
        if (mutating) {
            errors.put("401", "The admin key is configured and the request did not carry it");
        }
        if (PATH_VARIABLE.matcher(path).find()) {
            errors.put("404", "What the path names does not exist");
            if (mutating) {
                errors.put("409", "What the path names is not in a state that allows this");
            }
        }
        if (operation.getRequestBody() != null) {
            errors.put("413", "The request body is too large");
            errors.put("415", "The request body's content type is not accepted");
        }
        errors.put("500", "Internal error");
        errors.put("503", "Temporarily unavailable (a rebalance, the broker); retry after Retry-After");
        return errors;
    }

    private static void add(Operation operation, String status, String description) {
        if (operation.getResponses() == null) {
            operation.setResponses(new ApiResponses());
        }
        if (operation.getResponses().containsKey(status)) {
            return;
        }
        Schema<?> body = new Schema<>().$ref("#/components/schemas/" + SCHEMA);
        operation.getResponses().addApiResponse(status, new ApiResponse().description(description)
                .content(new Content().addMediaType(org.springframework.http.MediaType.APPLICATION_JSON_VALUE,
                        new MediaType().schema(body))));
    }
}
