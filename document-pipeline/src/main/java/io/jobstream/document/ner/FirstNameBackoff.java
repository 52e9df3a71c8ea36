package io.jobstream.document.ner;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.jobstream.store.document.Mention;

/**
 * Finds people the CRF models leave untagged: a known first name followed by one or two
 * capitalized words, where no model found an entity ("Mark Cuban", whose surname the models read as
 * a nationality). The first names are CoreNLP's own lists (its gender annotator's, in the same
 * models jar), so this backs the statistical models off to their own lexicon, as CoreNLP's pipeline
 * backs its CRF off to rules.
 */
final class FirstNameBackoff {

    static final List<String> NAME_LISTS = List.of(
            "edu/stanford/nlp/models/gender/male_first_names.txt",
            "edu/stanford/nlp/models/gender/female_first_names.txt");

    /** A capitalized word, then one or two more on the same line: a first name and a surname. */
    private static final Pattern CANDIDATE = Pattern.compile("\\b(\\p{Lu}\\p{Ll}+)((?:[ \\t]+\\p{Lu}[\\p{L}'’-]+){1,2})\\b");

    private final Set<String> firstNames;

    private FirstNameBackoff(Set<String> firstNames) {
        this.firstNames = firstNames;
    }

    static FirstNameBackoff fromModelsJar() {
        Set<String> names = new HashSet<>();
        for (String list : NAME_LISTS) {
            try (InputStream in = FirstNameBackoff.class.getClassLoader().getResourceAsStream(list)) {
                if (in == null) {
                    throw new IllegalStateException("first-name list " + list + " is not on the classpath (CoreNLP models jar)");
                }
                new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines()
                        .map(line -> line.trim().toLowerCase(Locale.ROOT))
                        .filter(name -> !name.isEmpty())
                        .forEach(names::add);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read first-name list " + list, e);
            }
        }
        return new FirstNameBackoff(Set.copyOf(names));
    }

    /** PERSON mentions for name-shaped spans that overlap none of {@code taken}. */
    List<Mention> people(String text, List<Mention> taken) {
        List<Mention> people = new ArrayList<>();
        Matcher candidate = CANDIDATE.matcher(text);
        int from = 0;
        while (from < text.length() && candidate.find(from)) {
            int start = candidate.start();
            int end = candidate.end();
            boolean known = firstNames.contains(candidate.group(1).toLowerCase(Locale.ROOT));
            boolean free = taken.stream().noneMatch(mention -> mention.start() < end && start < mention.end());
            if (known && free) {
                people.add(new Mention("PERSON", text.substring(start, end), start, end));
                from = end;
            } else {
                // "Yesterday Mark Cuban": the name may start at the next word.
                from = candidate.end(1);
            }
        }
        return people;
    }
}
