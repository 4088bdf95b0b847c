package com.example.wordstats;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The three ways under Surefire: the child JVMs find the application's and the test's classes. */
class WordStatsTest {
    private static final List<String> LINES = List.of("one two three", "four, five", "", "six");

    @Test
    void aPoolCountsTheWordsOfEachLineInOrder() {
        assertEquals(List.of(3, 2, 0, 1), PoolStep.wordCounts(LINES));
    }

    @Test
    void aProducerAndAConsumerShareAQueue() throws Exception {
        assertEquals(6L, QueueStep.countWords(LINES));
    }

    @Test
    void aPipelineCountsEveryWord() throws Exception {
        assertEquals(Map.of("one", 1L, "two", 1L, "three", 1L, "four", 1L, "five", 1L, "six", 1L),
            PipelineStep.frequencies(LINES));
    }

    @Test
    void theTestsOwnClassesReachTheWorkersToo() {
        // A lambda of the test class itself: its class lives in target/test-classes.
        assertEquals(List.of("ONE TWO THREE"), TestOnly.shout(List.of("one two three")));
    }
}
