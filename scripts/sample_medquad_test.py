#!/usr/bin/env python3
"""Pick the MedQuAD questions whose focus is a drug or topic the bundled guide names, and label them.

These form the "real" rows of the frozen TEST split (tests/data/test_questions.jsonl): their foci
are kept out of the question-type model's training (scripts/build_question_model.py), so the
test is held out by focus. Gold = a substring of the passage that answers; no gold = the guide
does not answer that type (the reply must decline or give the advice message).

Source: MedQuAD (Ben Abacha & Demner-Fushman 2019), CC BY 4.0, via ../shared/data/.
Usage:  python scripts/sample_medquad_test.py ../shared/data/medquad_questions.jsonl > rows.jsonl
"""

from __future__ import annotations

import json
import random
import sys

# focus (lower case, as MedQuAD writes it) -> passage substring naming it with its brand, or ""
# when the guide names the drug without a brand.
GUIDE_DRUGS = {
    "ado-trastuzumab emtansine": "Kadcyla T-DM1", "anastrozole": "anastrazole (Arimidex)",
    "capecitabine": "capecitabine (Xeloda)", "carboplatin injection": "carboplatin (Paraplatin)",
    "docetaxel injection": "docetaxel (Taxotere)", "doxorubicin": "doxorubicin (Adriamycin)",
    "epirubicin": "epirubicin (Ellence)", "eribulin injection": "eribulin (Halaven)",
    "everolimus": "everolimus (Afinitor)", "exemestane": "exemestane (Aromasin)",
    "fulvestrant injection": "fulvestrant (Faslodex)", "gemcitabine injection": "gemcitabine (Gemzar)",
    "goserelin implant": "goserelin (Zoladex)", "ixabepilone injection": "ixabepilone (Ixempra)",
    "lapatinib": "lapatinib (Tykerb)", "letrozole": "letrozole (Femara)",
    "leuprolide injection": "leuprolide (Lupron)", "megestrol": "megestrol acetate (Megace)",
    "paclitaxel injection": "paclitaxel (Taxol)", "palbociclib": "palbociclib (Ibrance)",
    "pertuzumab injection": "pertuzumab (Perjeta)", "ribociclib": "ribociclib (Kisqali)",
    "toremifene": "toremifene (Fareston)", "trastuzumab injection": "trastuzumab (Herceptin)",
    "vinorelbine": "vinorelbine (Navelbine)", "abemaciclib": "abemaciclib (Verzenio)",
    "tamoxifen": "", "cisplatin injection": "", "cyclophosphamide": "",
}
ANSWERED = {"indication", "brand names"}
NOT_ANSWERED = {"usage", "dietary", "forget a dose", "storage and disposal", "side effects",
                "precautions", "important warning", "emergency or overdose"}
BREAST = {  # CancerGov / MedlinePlus breast cancer questions: type -> gold ([] = not answered)
    "treatment": ["Several treatment options are available", "combination of systemic therapies"],
    "research": ["clinical trial"],
    "causes": [], "symptoms": [], "exams and tests": [], "prevention": [], "outlook": [],
    "susceptibility": [], "inheritance": [], "stages": [],
}


def main(path: str) -> None:
    rng = random.Random(10)
    rows = [json.loads(line) for line in open(path, encoding="utf-8")]
    out, seen = [], set()
    for r in rows:
        focus, qtype, q = r["focus"].strip().casefold(), r["qtype"], r["question"].strip()
        if q in seen:
            continue
        if focus in GUIDE_DRUGS:
            gold_row = GUIDE_DRUGS[focus] or focus.split()[0]
            if qtype == "brand names" and not GUIDE_DRUGS[focus]:
                continue  # the guide names no brand: neither answered nor clearly declined
            if qtype in ANSWERED:
                gold = [gold_row]
            elif qtype in NOT_ANSWERED:
                gold = []
            else:
                continue
        elif focus == "breast cancer" and qtype in BREAST:
            gold = BREAST[qtype]
        else:
            continue
        seen.add(q)
        out.append({"kind": "real", "question": q, "gold": gold, "type": qtype,
                    "source": f"MedQuAD {r['collection']} (CC BY 4.0)", "split": "test"})
    answered = [r for r in out if r["gold"]]
    declined = [r for r in out if not r["gold"]]
    rng.shuffle(declined)
    for r in answered + declined[: len(answered)]:
        print(json.dumps(r, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/medquad_questions.jsonl")
