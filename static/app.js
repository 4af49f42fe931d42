// The live UI grows here; see the UI issue.
