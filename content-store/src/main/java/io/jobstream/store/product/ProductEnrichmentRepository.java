package io.jobstream.store.product;

import java.util.Optional;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;

/** product_enrichments: one row per product, replaced by each new enrichment with the next version. */
public final class ProductEnrichmentRepository {

    private final JdbcTemplate jdbc;

    public ProductEnrichmentRepository(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    public Optional<ProductEnrichment> find(String productId) {
        return jdbc.query("""
                SELECT product_id, version, prompt_version, text_hash, provider, category, fields::text, updated_at
                FROM product_enrichments WHERE product_id = ?
                """, (rs, row) -> new ProductEnrichment(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getString(7), rs.getTimestamp(8).toInstant()), productId)
                .stream().findFirst();
    }

    /** Stores a new enrichment of the product, one version above the stored one; returns the stored row. */
    public ProductEnrichment save(String productId, String promptVersion, String textHash, String provider, String category,
                                  String fieldsJson) {
        return jdbc.queryForObject("""
                INSERT INTO product_enrichments AS pe (product_id, version, prompt_version, text_hash, provider, category, fields, updated_at)
                VALUES (?, 1, ?, ?, ?, ?, ?::jsonb, now())
                ON CONFLICT (product_id) DO UPDATE SET
                    version = pe.version + 1, prompt_version = EXCLUDED.prompt_version, text_hash = EXCLUDED.text_hash,
                    provider = EXCLUDED.provider, category = EXCLUDED.category, fields = EXCLUDED.fields, updated_at = now()
                RETURNING product_id, version, prompt_version, text_hash, provider, category, fields::text, updated_at
                """, (rs, row) -> new ProductEnrichment(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getString(7), rs.getTimestamp(8).toInstant()),
                productId, promptVersion, textHash, provider, category, fieldsJson);
    }
}
