"""Review dates for closed records under the Management of Police Information rules."""
