/*
 * STAND-IN for Apache Spark's examples/src/main/java/org/apache/spark/examples/JavaWordCount.java.
 * Spark's examples jar is published only inside the Apache binary distribution (not on Maven Central), so the
 * lab's distribution, assembled from PyPI's pyspark by tests/images/spark/build-distribution.sh, gets this
 * small program instead, written for the lab. Same class name, argument and output format ("word: count",
 * one line per distinct word, on stdout).
 *
 * One deliberate difference: lines are split with String.split(" ", -1), which keeps trailing empty strings,
 * so the counts equal Python's Counter(w for line in lines for w in line.split(" ")) exactly (the tests
 * compare against that). Spark's own version uses Pattern.split, which drops them.
 */
package org.apache.spark.examples;

import java.util.Arrays;
import java.util.List;

import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;

import scala.Tuple2;

public final class JavaWordCount {

    private JavaWordCount() {
    }

    public static void main(String[] args) {
        if (args.length < 1) {
            System.err.println("Usage: JavaWordCount <file>");
            System.exit(1);
        }
        SparkSession spark = SparkSession.builder().appName("JavaWordCount").getOrCreate();
        try {
            JavaRDD<String> lines = spark.read().textFile(args[0]).javaRDD();
            JavaPairRDD<String, Integer> counts = lines
                .flatMap(line -> Arrays.asList(line.split(" ", -1)).iterator())
                .mapToPair(word -> new Tuple2<>(word, 1))
                .reduceByKey(Integer::sum);
            List<Tuple2<String, Integer>> output = counts.collect();
            for (Tuple2<String, Integer> tuple : output) {
                System.out.println(tuple._1() + ": " + tuple._2());
            }
        } finally {
            spark.stop();
        }
    }
}
