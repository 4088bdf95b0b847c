package dev.forklift.pipeline.internal;

import org.junit.jupiter.api.Test;

import java.io.ObjectStreamClass;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link JobRun#warmPlanEncoding} names its classes as strings: a renamed class would be skipped without a word. */
class JobRunPlanClassesTest {
    @Test
    void everyClassTheWarmUpNamesExistsAndIsSerializable() throws Exception {
        for (final String name : JobRun.PLAN_CLASSES) {
            final Class<?> type = Class.forName(name, false, JobRunPlanClassesTest.class.getClassLoader());
            assertThat(ObjectStreamClass.lookup(type)).as(name).isNotNull();
        }
    }
}
