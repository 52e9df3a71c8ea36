package io.jobstream.store.api;

import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The {@code api_resources} table: a curl job's endpoints, replaced as a whole when the job runs again. */
public final class ApiResourceRepository {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<Map<String, String>> HEADERS = new TypeReference<>() {
    };

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;

    public ApiResourceRepository(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    }

    /** Replaces {@code jobId}'s resources with {@code resources}, in one transaction. */
    public void replace(String jobId, List<ApiResource> resources) {
        transaction.executeWithoutResult(status -> {
            jdbc.update("DELETE FROM api_resources WHERE job_id = ?", jobId);
            jdbc.batchUpdate("""
                    INSERT INTO api_resources (resource_id, job_id, page_url, page_title, method, endpoint, headers, body,
                                               curl, markdown, description, provider, confidence, content_ref)
                    VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?)
                    """, resources, resources.size(), (statement, resource) -> {
                statement.setString(1, resource.resourceId());
                statement.setString(2, jobId);
                statement.setString(3, resource.pageUrl());
                statement.setString(4, resource.pageTitle());
                statement.setString(5, resource.method());
                statement.setString(6, resource.endpoint());
                statement.setString(7, JSON.writeValueAsString(resource.headers()));
                statement.setString(8, resource.body());
                statement.setString(9, resource.curl());
                statement.setString(10, resource.markdown());
                statement.setString(11, resource.description());
                statement.setString(12, resource.provider());
                statement.setObject(13, resource.confidence());
                statement.setString(14, resource.contentRef());
            });
        });
    }

    public List<ApiResource> byJob(String jobId) {
        return jdbc.query("""
                SELECT resource_id, job_id, page_url, page_title, method, endpoint, headers::text, body, curl, markdown,
                       description, provider, confidence, content_ref
                FROM api_resources WHERE job_id = ? ORDER BY resource_id
                """, (rs, row) -> new ApiResource(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getString(6), JSON.readValue(rs.getString(7), HEADERS), rs.getString(8), rs.getString(9),
                rs.getString(10), rs.getString(11), rs.getString(12), (Double) rs.getObject(13), rs.getString(14)), jobId);
    }
}
