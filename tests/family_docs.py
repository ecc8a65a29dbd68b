"""Documents of the focused visit, JTAI and area SEND families that the tests read.

The constructed ones are invented (councils, people and wording) in the layout pypdf
gives for the real ones: the Ofsted address block at the foot of page one, running
headers with page numbers, a form feed at each page break. The real ones are read from
the shared corpus when it is there.
"""

from __future__ import annotations

import functools
from pathlib import Path

from tests.conftest import SHARED

CORPUS = SHARED / "corpus"

FOCUSED_VISIT = """\

12 April 2024
Alex Morgan
Director of Children’s Services
Westmoor Borough Council
Town Hall
Westmoor
WM1 1AA

Dear Alex

Focused visit to Westmoor children’s services

This letter summarises the findings of the focused visit to Westmoor children’s
services on 5 and 6 March 2024. His Majesty’s Inspectors for this visit were Sam
Lee and Robin Hart.

Inspectors looked at the local authority’s arrangements for care leavers. This
included the support given to young people aged 18 to 25.

Headline findings

Most care leavers in Westmoor are supported well by personal advisers who know
them. Leaders have a clear view of where practice needs to improve and have
Ofsted
Piccadilly Gate
Store Street
Manchester
M1 2WD

T 0300 123 1231
Textphone 0161 618 8524
enquiries@ofsted.gov.uk
www.gov.uk/ofsted
\f
2

begun to act on it.

Areas for priority action
The local authority needs to take swift action to address the following:
◼ The sufficiency of suitable accommodation for care leavers aged 18 and over,
so that no young person is placed in a hotel.
◼ The oversight by managers of young people who go missing

What needs to improve in this area of social work practice?

◼ The quality of pathway plans, so that they are updated when young people’s
circumstances change.
◼ Access to emotional well-being and mental health support for care leavers.
◼ The recording of management decisions and the reasons for them.
Main findings

◼ Personal advisers visit young people often and are persistent when young
people do not engage.
Care leavers told inspectors that they feel listened to.

Ofsted will take the findings from this focused visit into account when planning
your next inspection or visit.

Yours sincerely

Sam Lee
His Majesty’s Inspector
"""

JTAI = """\
14 June 2025
Chris Doe, Director of Children’s Services, Westmoor Borough Council
Pat Roe, Chief Nursing Officer at NHS Westmoor and Eastvale Integrated Care
Board
Jo Bloggs, Chief Constable, Westmoor Police
Dear Westmoor Local Safeguarding Partnership
Joint targeted area inspection of Westmoor
This letter summarises the findings of the joint targeted area inspection (JTAI) of the
multi-agency response to children who are victims of domestic abuse in Westmoor.
This inspection took place from 12 to 16 May 2025. It was carried out by inspectors
from Ofsted, the Care Quality Commission (CQC) and His Majesty’s Inspectorate of
Constabulary and Fire & Rescue Services (HMICFRS).
Headline findings
Children in Westmoor who are victims of domestic abuse are mostly identified
quickly by agencies that work well together.
What needs to improve?
◼ The consistency of information-sharing by health practitioners when a child
is at risk of harm.
◼ The quality of multi-agency plans for unborn babies.
Strengths
◼ Strong strategic leadership across the partnership.
◼ Timely and effective police responses to incidents of domestic abuse, which
keep children safe.
◼ Well-attended multi-agency training.
Main findings
The partnership knows its strengths well.
Practice study: areas for improvement
Some children waited too long for help.
Next steps
We have determined that Westmoor Borough Council is the principal authority.
Yours sincerely
"""

JTAI_2016 = """\
1
10 May 2016
Ms Lee Grey, Director of Children’s Services, Eastshire County Council
Mr Kim Black, Chief Executive Officer, NHS Eastshire CCG Mr Ash White,
Police and Crime Commissioner
Dear local partnership
Joint targeted area inspection of the multi-agency response to abuse and
neglect in Eastshire
Between 7 March 2016 and 11 March 2016, Ofsted, the Care Quality Commission
(CQC), HMI Constabulary (HMIC) and HMI Probation (HMIP) undertook a joint
inspection of the multi-agency response to abuse and neglect in Eastshire.
This letter, to all the service leaders in the area, outlines our findings about the
effectiveness of partnership working and of the work of individual agencies in
Eastshire.
Key Strengths
\uf0b7 Leaders across the partnership share a clear commitment to children. The
board holds agencies to account.
\uf0b7 The multi-agency safeguarding hub responds quickly to referrals.
Health services
\uf0b7 Health visitors identify risk early and share it with social workers.
Case study: highly effective practice
A young person was helped to stay safe at home.
Areas for improvement
Some strategy meetings are held without the police or health practitioners. As a
result, decisions are made without all the information.

Plans for children who live with neglect do not always say what must change or by
when.
Next steps
The director of children’s services should prepare a written statement of action.
Yours sincerely
"""

SEND = """\
Local area partnership report

Area SEND inspection of Westmoor Local
Area Partnership

Inspection dates: 3 to 7 June 2024
Dates of previous inspection: 1 to 5 May 2017

Inspection outcome
There are widespread and/or systemic failings leading to significant concerns about the
experiences and outcomes of children and young people with special educational needs
and/or disabilities (SEND), which the local area partnership must address urgently.

A monitoring inspection will be carried out within approximately 18 months.

Information about the local area partnership

Westmoor Borough Council and NHS Westmoor Integrated Care Board are responsible for
planning and commissioning services for children and young people with SEND.
Area SEND inspection report: Westmoor Local Area Partnership
3 June 2024 to 7 June 2024 2
\f
What is it like to be a child or young person with SEND in this area?

Too many children wait too long for their needs to be identified.

Areas for priority action

Responsible body Areas for priority action
Westmoor Borough Council
and NHS Westmoor
Integrated Care Board
Area leaders need to urgently and jointly:
• identify the needs of children and young people with
SEND; and
• agree a strategy for meeting them.
Westmoor Borough Council
and NHS Westmoor
Area leaders need to reduce the time families wait for
EHC needs assessments.
Area SEND inspection report: Westmoor Local Area Partnership
3 June 2024 to 7 June 2024 3
\f
Integrated Care Board
Leaders should make sure that plans are completed
on time.
NHS Westmoor Integrated
Care Board
Health leaders must address the waiting times for
speech and language therapy.

Areas for improvement

Areas for improvement
Leaders should improve the way they share information across education, health and
care services so that transitions go smoothly for young people.
Leaders across the partnership should improve communication to:
- keep families informed about the local offer; and
- answer calls and emails on time.
Health leaders need to reduce the waits for wheelchair services. They should tell
families how long they will wait.
Area SEND inspection report: Westmoor Local Area Partnership
3 June 2024 to 7 June 2024 4
\f
Local area partnership details

Inspection team

Ofsted Care Quality Commission
Jane Doe HMI, Ofsted Lead inspector John Roe, CQC Lead inspector
Area SEND inspection report: Westmoor Local Area Partnership
3 June 2024 to 7 June 2024 5
"""

CONSTRUCTED = {
    "constructed_focused_visit": FOCUSED_VISIT,
    "constructed_jtai": JTAI,
    "constructed_jtai_2016": JTAI_2016,
    "constructed_send_area": SEND,
}

# Real documents whose layout the tests lean on, one or more per family.
REAL = (
    "focused_visit/durham_2021-08-23_focused_visit.pdf",
    "focused_visit/telford-and-wrekin_2018-10-11_focused_visit.pdf",
    "jtai/wiltshire_2016-12-16_jtai.pdf",
    "send_area/derbyshire_2024-11-14_send_area.pdf",
)


def corpus_documents() -> dict[str, Path]:
    """The real documents there are, by name; nothing when the corpus is not here."""
    return {Path(rel).stem: CORPUS / rel for rel in REAL if (CORPUS / rel).exists()}


@functools.cache
def corpus_text(path: Path) -> str:
    from reviewer.sources.read import read_letter

    return read_letter(path).text


LETTERS = CORPUS.parent / "letters"


def real_letters() -> dict[str, Path]:
    """The 2009-2012 letters in the shared folder, by name; nothing when it is not here."""
    return {f"shared_{p.stem}": p for p in sorted(LETTERS.glob("*.txt"))}


@functools.cache
def bench_letters() -> dict[str, str]:
    """Three synthetic 2009-2012 letters from the benchmarks' letter maker (seeded)."""
    import random

    from bench.make_letters import _letter

    rng = random.Random(2011)
    out = {}
    for n in range(3):
        counts = {"strength": 3, "satisfactory": 4, "development": 2, "priority_action": n}
        out[f"bench_letter_{n}"] = _letter(random.Random(rng.random()), counts, long=True)
    return out
