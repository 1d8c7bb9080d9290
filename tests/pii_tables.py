"""A table with one column of every PII kind (and some look-alike non-PII columns), from Faker."""

from __future__ import annotations

import numpy as np
import pandas as pd

PII_COLUMNS = {
    "full_name": "name",
    "email": "email",
    "phone": "phone",
    "home_address": "address",
    "zip": "postcode",
    "ssn": "national_id",
    "card_number": "credit_card",
    "iban": "iban",
    "ip_address": "ip",
    "date_of_birth": "date_of_birth",
    "comments": "free_text",
}
OTHER_COLUMNS = ["plan", "amount", "order_date", "active", "product_code", "country_code"]


def make_pii_table(
    n: int = 300, seed: int = 123, names: bool = True, locale: str = "en_US"
) -> pd.DataFrame:
    """Every PII kind as people store them: strings, with a few blanks; plus non-PII columns."""
    from faker import Faker

    faker = Faker(locale)
    faker.seed_instance(seed)
    rng = np.random.default_rng(seed)
    table = pd.DataFrame(
        {
            "full_name" if names else "person": [faker.name() for _ in range(n)],
            "email": [faker.email() for _ in range(n)],
            "phone": [
                faker.numerify("(###) ###-####") if locale == "en_US" else faker.phone_number()
                for _ in range(n)
            ],
            "home_address": [faker.address().replace("\n", ", ") for _ in range(n)],
            "zip": [faker.postcode() for _ in range(n)],
            "ssn": [faker.ssn() for _ in range(n)],
            "card_number": [faker.credit_card_number() for _ in range(n)],
            "iban": [faker.iban() for _ in range(n)],
            "ip_address": [faker.ipv4_public() for _ in range(n)],
            "date_of_birth": [str(faker.date_of_birth(minimum_age=18)) for _ in range(n)],
            "comments": [faker.paragraph(nb_sentences=2) for _ in range(n)],
            "plan": rng.choice(["basic", "pro", "team"], size=n),
            "amount": np.round(rng.lognormal(3, 1, size=n), 2),
            "order_date": [str(faker.date_this_decade()) for _ in range(n)],
            "active": rng.random(n) < 0.5,
            "product_code": [f"SKU-{i:05d}" for i in rng.choice(99999, size=n, replace=False)],
            "country_code": rng.choice(["FR", "DE", "US", "GB"], size=n),
        }
    )
    # the same person in several rows: anonymize must map them alike
    table.loc[n - 10 :, ["full_name" if names else "person", "email", "ssn"]] = table.loc[
        :9, ["full_name" if names else "person", "email", "ssn"]
    ].to_numpy()
    table.loc[rng.choice(n, size=n // 20, replace=False), "phone"] = None
    return table
