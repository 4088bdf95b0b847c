package dev.forklift.testing;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A deadline for each test method (on a method, or on a class for all its methods). When it passes, the stacks of
 * every thread of the test JVM and of every descendant process ({@code jcmd <pid> Thread.print}) are printed, the
 * descendant processes are killed, the test thread is interrupted and the test fails, naming the deadline.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(ProcessDeadlineExtension.class)
public @interface ProcessDeadline {
    /** @return the longest time a test method may run, in seconds. */
    int seconds() default 60;
}
