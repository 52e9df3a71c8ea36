package io.jobstream.store.product;

import java.sql.Date;
import java.time.LocalDate;
import java.util.List;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** curated_collections: a surface's collections of a day, written all at once. */
public final class CollectionRepository {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;

    public CollectionRepository(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    }

    public boolean exists(String surface, LocalDate date) {
        Boolean exists = jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM curated_collections WHERE surface = ? AND collection_date = ?)",
                Boolean.class, surface, Date.valueOf(date));
        return Boolean.TRUE.equals(exists);
    }

    /**
     * Stores a run's collections in one transaction. A run that raced another for the same
     * (surface, date) stores nothing: the first run's collections stand.
     *
     * @return whether these collections were stored
     */
    public boolean saveAll(List<CuratedCollection> collections) {
        return Boolean.TRUE.equals(transaction.execute(status -> {
            CuratedCollection first = collections.getFirst();
            // Serializes runs of the same (surface, date) until this transaction ends.
            jdbc.queryForObject("SELECT pg_advisory_xact_lock(hashtext(?))", Object.class, first.surface() + "|" + first.date());
            if (exists(first.surface(), first.date())) {
                return false;
            }
            jdbc.batchUpdate("""
                    INSERT INTO curated_collections (surface, collection_date, position, title, keywords, product_ids, provider, job_id)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """, collections, collections.size(), (statement, c) -> {
                statement.setString(1, c.surface());
                statement.setDate(2, Date.valueOf(c.date()));
                statement.setInt(3, c.position());
                statement.setString(4, c.title());
                statement.setArray(5, statement.getConnection().createArrayOf("text", c.keywords().toArray()));
                statement.setArray(6, statement.getConnection().createArrayOf("text", c.productIds().toArray()));
                statement.setString(7, c.provider());
                statement.setString(8, c.jobId());
            });
            return true;
        }));
    }

    public List<CuratedCollection> find(String surface, LocalDate date) {
        return jdbc.query("""
                SELECT surface, collection_date, position, title, keywords, product_ids, provider, job_id, created_at
                FROM curated_collections WHERE surface = ? AND collection_date = ? ORDER BY position
                """, (rs, row) -> new CuratedCollection(rs.getString(1), rs.getDate(2).toLocalDate(), rs.getInt(3),
                rs.getString(4), ProductRepository.texts(rs.getArray(5)), ProductRepository.texts(rs.getArray(6)),
                rs.getString(7), rs.getString(8), rs.getTimestamp(9).toInstant()), surface, Date.valueOf(date));
    }
}
