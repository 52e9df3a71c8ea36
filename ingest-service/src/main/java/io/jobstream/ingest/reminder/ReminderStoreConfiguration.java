package io.jobstream.ingest.reminder;

import javax.sql.DataSource;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.jobstream.store.reminder.NotificationSchedules;

/** Notification schedules live in the content database (migrated by the processors). */
@Configuration(proxyBeanMethods = false)
public class ReminderStoreConfiguration {

    @Bean
    public NotificationSchedules notificationSchedules(DataSource dataSource) {
        return new NotificationSchedules(dataSource);
    }
}
