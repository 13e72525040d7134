package ai.maspo.orchestrator.search;

/**
 * One comparison asked in both orders (candidate shown first, then second) cancels the judge's position bias:
 * 1 when both orders prefer the candidate, 0 when both prefer the parent, 0.5 otherwise — so an unparseable
 * answer can make a tie but never a win.
 */
public final class BothOrdersVote {

    public static double of(Preference candidateShownFirst, Preference candidateShownSecond) {
        if (candidateShownFirst == Preference.CANDIDATE && candidateShownSecond == Preference.CANDIDATE) {
            return 1;
        }
        if (candidateShownFirst == Preference.PARENT && candidateShownSecond == Preference.PARENT) {
            return 0;
        }
        return 0.5;
    }

    private BothOrdersVote() {
    }
}
