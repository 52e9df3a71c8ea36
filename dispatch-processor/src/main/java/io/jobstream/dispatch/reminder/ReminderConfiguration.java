package io.jobstream.dispatch.reminder;

import java.time.Clock;

import javax.sql.DataSource;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.jobstream.core.queue.JobWorker;
import io.jobstream.store.reminder.NotificationSchedules;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The {@code reminder-dispatch} worker; {@code jobstream.reminders.worker.enabled=false} leaves the queue to other instances. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ReminderProperties.class)
@ConditionalOnBooleanProperty(name = "jobstream.reminders.worker.enabled", matchIfMissing = true)
public class ReminderConfiguration {

    public static final String QUEUE = "reminder-dispatch";

    @Bean
    NotificationSchedules notificationSchedules(DataSource dataSource) {
        return new NotificationSchedules(dataSource);
    }

    /** The HTTP sink, unless the application declares its own (a push provider's SDK, say). */
    @Bean
    @ConditionalOnMissingBean
    ReminderSink reminderSink(ReminderProperties properties, JsonMapper json) {
        return new HttpReminderSink(properties, json);
    }

    /** A bean of its own, so that closing the application lets deliveries under way record their outcome. */
    @Bean
    ReminderDispatch reminderDispatch(NotificationSchedules schedules, ReminderSink sink, JsonMapper json,
                                      ReminderProperties properties) {
        return new ReminderDispatch(schedules, sink, json, Clock.systemUTC(), properties.deliveryHold());
    }

    @Bean
    JobWorker<JsonNode> reminderDispatchWorker(ReminderDispatch dispatch) {
        return JobWorker.json(QUEUE, dispatch);
    }
}
