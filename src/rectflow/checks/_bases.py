# ruff: noqa: E501 - each basis is kept on one line, byte for byte as declared, to be found and compared
"""The bases (citations) of the built-in rules and presets, as msgids: what ``rectflow check``'s
"basis" lines say in Chinese.

A basis is data, written where a rule or a preset declares it (``checks/*.py``, the preset
TOML files, a plugin's own rules): this table repeats the built-in ones so the extraction finds
them, and the report says each in ``lang`` (:func:`rectflow._i18n.translate`). A basis not here
(a user's policy, a plugin's) is shown as it is; tests/cli/test_cli_zh_complete.py fails when a
built-in one is missing.
"""

from __future__ import annotations

from rectflow._i18n import N_

__all__ = ["BASES"]

BASES = (
    N_("practice: 被巡察党组织要在反馈后1个月内… (a city's rule, truncated copy; RULES.md #18)"),
    N_("practice: 反馈后1个月内 (RULES.md #18, low confidence)"),
    N_("定远县 巡察工作制度: 接受反馈后三个月内…报送…整改情况报告 (RULES.md #19)"),
    N_(
        "定远县: 被巡察单位在接受反馈后三个月内向巡察办报送…整改情况报告 (http://www.ahjjjc.gov.cn/p/79662.html)"
    ),
    N_("practice: three months of centralised rectification (向阳区, 黑河; RULES.md #21, #23)"),
    N_("practice: 通过3个月的整改 (向阳区; http://www.hgjwjw.gov.cn/xyq/xsxs/663.html)"),
    N_(
        "the case's own rectification plan: each task's deadline (三清单: 问题清单、任务清单、责任清单; RULES.md #14)"
    ),
    N_("long-term items (长期坚持) are reported by their own plan, not as overdue"),
    N_("practice: a reminder before the deadline (提醒书, 临颍县; RULES.md #30)"),
    N_("rectflow's choice: the 提醒书 practice gives no number of days"),
    N_("practice: a 告诫书 fixes a new, final deadline after a missed one (临颍县; RULES.md #30)"),
    N_("practice: 告诫书 再次明确最后整改期限 — one new, final deadline (临颍县; RULES.md #30)"),
    N_(
        "no public source names the role that approves an extension; the approver is recorded with each one"
    ),
    N_("practice: 一般半年内办结,原则上不超过一年 (东海县; RULES.md #24)"),
    N_("practice: 一般在半年内办结 (东海县; RULES.md #24)"),
    N_("practice: 原则上不超过一年 (东海县; RULES.md #24)"),
    N_("practice: 整改评估 within a month after the centralised period (RULES.md #33, #37)"),
    N_("practice: 集中整改期满后一个月内开展 (https://gyxww.net/view/86896.html)"),
    N_(
        "《中国共产党巡视工作条例》(2015) 第三十二条 (巡察 since the 2017 revision): 整改等情况 应当以适当方式公开"
    ),
    N_("practice: 双公开 after the centralised rectification (铜仁, 扶风县; RULES.md #32, #35)"),
    N_(
        "practice: disclosure within 3 months after the centralised period (RULES.md #32, #35; known gaps)"
    ),
    N_(
        "practice: disclosure follows the centralised period (RULES.md #32, #35); a warning, not a written deadline"
    ),
    N_("no public source fixes the length of a public period (RULES.md, known gaps)"),
    N_("《中国共产党巡视工作条例》(2015) 第三十二条: 接受党员、干部和人民群众监督"),
    N_(
        "practice: progress notices invite supervision by 联系电话 and 电子邮箱 (every seed notice)"
    ),
    N_("释义 of 条例 (2015) 第三十二条: 通过官方网站…向社会公开 (RULES.md #7)"),
    N_("practice: 对账销号, the ledger is the record (建账-更新-销号; RULES.md #25, #26)"),
    N_("practice: 三清单 (问题、任务、责任); the 主要负责人 signs the plan (RULES.md #14, #28)"),
    N_("the 责任清单 names someone for each task; who is the plan's choice (RULES.md #14)"),
    N_("三清单: every task has a deadline (RULES.md #14)"),
    N_("long-term items (长期坚持) have no end date by nature"),
    N_("practice: 对账销号 — closed against the ledger's evidence (RULES.md #25, #26)"),
    N_("practice: a rebound (反弹回潮) found by a review is rectified again (RULES.md #27)"),
    N_("rectflow's choice: the new measure is recorded with the reopening"),
    N_(
        "practice: 对账销号 against the evidence (RULES.md #25, #26); evidence dated before the work started is suspicious"
    ),
    N_("rectflow's choice: evidence is dated within the work it proves"),
    N_(
        "practice: an item is reviewed (复核) before it is struck off (办结; 宜昌 platform, RULES.md #44)"
    ),
    N_(
        "practice: the review (复核) before 办结 is the supervising office's, not the doer's (RULES.md #29, #44)"
    ),
    N_("释义 of 条例 (2015) 第三十二条: 以公开为原则、以不公开为例外 (RULES.md #7, #31)"),
    N_(
        "clues, confidential items, responsible persons' names, internal evidence and accountability records are not published; accountability only as counts by form (RULES.md #3, #31; issue 10)"
    ),
    N_("rectflow's choice: single characters match too much text"),
    N_("policy: the plan (整改方案) sets the tasks, people and deadlines (三清单; RULES.md #14)"),
    N_(
        "practice: 立行立改 — what can be rectified at once is, from the feedback on, before the plan"
    ),
    N_("practice: 被评定为“一般”“差”两个等次的,督促二次整改 (镇安县; RULES.md #36)"),
    N_(
        "practice: 一般 or 差 → 二次整改 (镇安县; RULES.md #36); grades 好/较好/一般/差 (RULES.md #33)"
    ),
    N_(
        "rectflow's choice: no source gives the time; the evaluation itself comes within a month (RULES.md #33)"
    ),
    N_(
        "no written deadline; published notices show plans adopted 3-29 days after feedback (RULES.md, known gaps)"
    ),
    N_("practice: plans adopted within a month of feedback (seed 000: 29 days)"),
    N_("《中国共产党巡视工作条例》(2015) 第二十七条"),
    N_(
        "《中国共产党巡视工作条例》(2015) 第二十七条: 于2个月内将整改情况报告…报送巡视工作领导小组办公室"
    ),
    N_("practice: six months of centralised rectification after a provincial 巡视 (RULES.md #16)"),
    N_("practice: 狠抓六个月集中整改 (https://reportify.cn/news/1142425158259183616)"),
    N_(
        "practice: deadlines are moved only by approved extensions; the 告诫书 practice fixes one final deadline (RULES.md #30)"
    ),
    N_("《中国共产党巡视工作条例》(2015) 第二十九条"),
    N_(
        "《中国共产党巡视工作条例》(2015) 第二十九条: 于3个月内将办理情况反馈巡视工作领导小组办公室"
    ),
    N_("central practice: 探索开展整改检查评估 (2025 pilot, no deadline; RULES.md #15)"),
    N_("《中国共产党巡视工作条例》(2015) 第三十二条: 整改等情况 应当以适当方式公开"),
    N_("central practice counts from feedback (RULES.md #11, #12)"),
    N_("central practice: progress published about 7-8 months after feedback (RULES.md #11, #12)"),
    N_(
        "central practice: progress published about 7-8 months after feedback (RULES.md #11, #12); a warning, not a written deadline"
    ),
    N_(
        "central practice: 2020-08 feedback published 2021-04-20; 2021-09 feedback published 2022-04-15 (RULES.md #11, #12)"
    ),
    N_("《中国共产党巡视工作条例》(2015) 第二十七条 第二款; 三清单 (RULES.md #2, #14)"),
    N_(
        "practice of 巡察 (被评定为“一般”“差”两个等次的,督促二次整改; RULES.md #36); central practice: 整改检查评估 (RULES.md #15)"
    ),
    N_("practice: 一般 or 差 → 二次整改 (镇安县; RULES.md #36)"),
    N_("rectflow's choice: no source gives the time to start a second rectification"),
    N_("practice: the review (复核) before 办结 is the supervising office's (RULES.md #44)"),
    N_("practice: an item is reviewed (复核) before it is struck off (办结; RULES.md #44)"),
    N_("条例 (2015) 第三十二条 释义: 以公开为原则、以不公开为例外 (secrets are the exception)"),
    N_("a notice reports its ledger (对账销号: the ledger is the record)"),
    N_("practice: 1, 2, 3 or 6 months of centralised rectification (RULES.md)"),
    N_("practice: clues 一般半年内办结，原则上不超过一年 (RULES.md #24)"),
    N_("practice: a reminder before the deadline (提醒书; RULES.md #30)"),
    N_("practice: assessment within 1 month after the centralised period (RULES.md #33)"),
    N_("practice: after a missed deadline a 告诫书 fixes a new, final deadline (RULES.md #30)"),
    N_("the task list's deadlines (整改时限, 三清单)"),
    N_("practice: plan within 1 month of feedback (a city's rule; RULES.md #18)"),
    N_("《中国共产党巡视工作条例》(2015) 第二十七条: report within 2 months of feedback"),
    N_("the policy's own: no public source fixes the length of a public period"),
    N_("《中国共产党巡视工作条例》(2015) 第三十二条: 整改情况 以适当方式公开"),
    N_("practice: central disclosures come about 7-8 months after feedback (RULES.md #11)"),
    N_("practice: 被评定为“一般”“差”两个等次的，督促二次整改 (镇安县; RULES.md #36)"),
    N_("practice: 对账销号 — an item is closed against the ledger's evidence (RULES.md #25)"),
    N_("hospital party committee decision on procurement rectification (local rule)"),
    N_("the three lists: problems, tasks, responsibilities (三清单; RULES.md #14)"),
)
