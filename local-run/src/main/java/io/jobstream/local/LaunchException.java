package io.jobstream.local;

/** A reason the local run cannot go on, worded for the person at the terminal (what failed, what to do). */
final class LaunchException extends RuntimeException {

    LaunchException(String message) {
        super(message);
    }

    LaunchException(String message, Throwable cause) {
        super(message, cause);
    }
}
