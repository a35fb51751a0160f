from django.apps import AppConfig


class ProofOfLifeConfig(AppConfig):
    name = "vigil.proof_of_life"
    label = "proof_of_life"
    verbose_name = "Proof of life"
