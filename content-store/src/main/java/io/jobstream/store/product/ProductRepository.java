package io.jobstream.store.product;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;

/** The products table, the queryable copy of the products topic. Writes are idempotent upserts by product id. */
public final class ProductRepository {

    private final JdbcTemplate jdbc;

    public ProductRepository(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    public void upsert(List<StoredProduct> products) {
        jdbc.batchUpdate("""
                INSERT INTO products (product_id, title, description, brand, price, currency, is_featured, tags, updated_at, text_hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (product_id) DO UPDATE SET
                    title = EXCLUDED.title, description = EXCLUDED.description, brand = EXCLUDED.brand,
                    price = EXCLUDED.price, currency = EXCLUDED.currency, is_featured = EXCLUDED.is_featured,
                    tags = EXCLUDED.tags, updated_at = EXCLUDED.updated_at, text_hash = EXCLUDED.text_hash
                """, products, products.size(), (statement, product) -> {
            statement.setString(1, product.productId());
            statement.setString(2, product.title());
            statement.setString(3, product.description());
            statement.setString(4, product.brand());
            statement.setLong(5, product.price());
            statement.setString(6, product.currency());
            statement.setBoolean(7, product.featured());
            statement.setArray(8, statement.getConnection().createArrayOf("text", product.tags().toArray()));
            statement.setTimestamp(9, Timestamp.from(product.updatedAt()));
            statement.setString(10, product.textHash());
        });
    }

    /** A product deleted from the products topic (a tombstone); its enrichment goes with it. */
    public void delete(String productId) {
        jdbc.update("DELETE FROM product_enrichments WHERE product_id = ?", productId);
        jdbc.update("DELETE FROM products WHERE product_id = ?", productId);
    }

    public Optional<StoredProduct> find(String productId) {
        return jdbc.query("""
                SELECT product_id, title, description, brand, price, currency, is_featured, tags, updated_at, text_hash
                FROM products WHERE product_id = ?
                """, (rs, row) -> product(rs), productId).stream().findFirst();
    }

    /**
     * Products that pass {@code filter} and have a vector of their current text for {@code model}
     * (with their stored category, if enriched), in product id order so a run is reproducible.
     */
    public List<ProductVector> withVectors(String model, ProductFilter filter) {
        List<Object> args = new ArrayList<>(List.of(model));
        StringBuilder where = new StringBuilder();
        if (filter.featured() != null) {
            where.append(" AND p.is_featured = ?");
            args.add(filter.featured());
        }
        if (filter.minPrice() != null) {
            where.append(" AND p.price >= ?");
            args.add(filter.minPrice());
        }
        if (filter.maxPrice() != null) {
            where.append(" AND p.price <= ?");
            args.add(filter.maxPrice());
        }
        return jdbc.query("""
                SELECT p.product_id, p.title, p.description, p.tags, pe.category, e.embedding::real[]
                FROM products p
                JOIN embeddings e ON e.entity_type = 'product' AND e.entity_id = p.product_id
                                 AND e.model = ? AND e.content_hash = p.text_hash
                LEFT JOIN product_enrichments pe ON pe.product_id = p.product_id
                WHERE true %s
                ORDER BY p.product_id
                """.formatted(where), (rs, row) -> new ProductVector(rs.getString(1), rs.getString(2), rs.getString(3),
                texts(rs.getArray(4)), rs.getString(5), floats(rs.getArray(6))), args.toArray());
    }

    private static StoredProduct product(ResultSet rs) throws SQLException {
        return new StoredProduct(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5),
                rs.getString(6), rs.getBoolean(7), texts(rs.getArray(8)), rs.getTimestamp(9).toInstant(), rs.getString(10));
    }

    static List<String> texts(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }

    private static float[] floats(Array array) throws SQLException {
        Float[] boxed = (Float[]) array.getArray();
        float[] vector = new float[boxed.length];
        for (int i = 0; i < boxed.length; i++) {
            vector[i] = boxed[i];
        }
        return vector;
    }
}
