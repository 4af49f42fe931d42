"""Acting as the provider: sample events, signing as the provider does, and its retry policy."""
