package dev.concerto.director.ui;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/** Records errors and answers file choosers from a queue (view-model unit tests only). */
final class RecordingDialogs implements DialogService {

    final List<String> errors = new ArrayList<>();
    final Deque<Path> answers = new ArrayDeque<>();
    final List<String> lists = new ArrayList<>();
    final List<String> questions = new ArrayList<>();
    boolean confirmAnswer = true;

    @Override
    public boolean confirm(String title, String message) {
        questions.add(title + ": " + message);
        return confirmAnswer;
    }

    @Override
    public void showError(String title, String message) {
        errors.add(title + ": " + message);
    }

    @Override
    public void showList(String title, String header, List<String> lines) {
        lists.add(title + ": " + header + "\n" + String.join("\n", lines));
    }

    @Override
    public Optional<Path> chooseScoreToOpen(Path initialDirectory) {
        return Optional.ofNullable(answers.poll());
    }

    @Override
    public Optional<Path> chooseRosterToOpen(Path initialDirectory) {
        return Optional.ofNullable(answers.poll());
    }

    @Override
    public Optional<Path> chooseRosterToSave(Path initialDirectory) {
        return Optional.ofNullable(answers.poll());
    }
}
