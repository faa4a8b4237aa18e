"""The demo profiles' data: the seed's figures, the 2017 province's shape, the replay's odds, and the reform
of 1/7/2025. Plain values only: the build phases (`builder`), the replay (`replay`), the reform (`reform`)
and what the landing page shows (`selectors`) read them from here.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from phucvu.core.localtime import LOCAL_TZ as TZ

PROFILES = ["quangninh-2017", "quangninh-2025"]
# quangninh-2025 is built from the same 2017 province (then reformed): it reads the 2017 data files.
DATA_OF = {"quangninh-2017": "quangninh-2017", "quangninh-2025": "quangninh-2017"}
DEMO_PASSWORD = "phucvu2017"
DATA = Path(__file__).parent / "data"
PERIOD_FROM = dt.date(2017, 1, 1)
PERIOD_TO = dt.date(2017, 7, 31)
# The replay stops here: what is planned later stays open, as it was on that evening.
END = dt.datetime(2017, 7, 31, 17, 0, tzinfo=TZ)

# The seed (docs/domain.md §16): dossiers received in the first seven months of 2017, per level.
SEED_VOLUMES = {"province": 30_783, "district": 159_000, "commune": 295_807}
# The seed's inspection counts over six months, by organizing agency code.
SEED_INSPECTIONS = {"P22-HQ": 20, "P22-PCCC": 40, "P22-VKS": 31, "P22-SGDDT": 25, "P22-SGTVT": 36,
                    ("P22-BTG", "P22-SNV", "P22-SVHTT"): 56}

ADMIN_LOGIN = "quantri"
DEMO_LOGINS = [
    # username, full name, agency code, role, position
    ("motcua.tinh", "Trần Thị Thu Hà", "P22-TTHCC", "desk_clerk", "Công chức tiếp nhận"),
    ("chuyenvien.skhdt", "Lê Văn Minh", "P22-SKHDT", "specialist", "Chuyên viên Phòng Đăng ký kinh doanh"),
    ("lanhdao.skhdt", "Nguyễn Quốc Bảo", "P22-SKHDT", "unit_leader", "Phó Giám đốc Sở"),
    ("motcua.halong", "Vũ Thị Hồng Nhung", "D193-TTHCC", "desk_clerk", "Công chức tiếp nhận"),
    ("chuyenvien.halong", "Trần Văn Kiên", "D193-QLDT", "specialist",
     "Chuyên viên Phòng Quản lý đô thị - Kinh tế hạ tầng"),
    ("lanhdao.halong", "Phạm Quốc Hùng", "D193", "unit_leader", "Phó Chủ tịch UBND thành phố"),
    ("motcua.honggai", "Nguyễn Thị Lan", "W06691-MC", "desk_clerk", "Công chức Văn phòng - Thống kê"),
    ("lanhdao.honggai", "Đỗ Văn Thành", "W06691", "unit_leader", "Chủ tịch UBND phường"),
    ("thanhtra.tinh", "Vũ Đức Thắng", "P22-TTT", "inspector", "Thanh tra viên chính"),
    ("noivu.tinh", "Hoàng Thị Mai", "P22-SNV", "hr_officer", "Chuyên viên tổ chức cán bộ"),
    ("lanhdao.tinh", "Đặng Văn Hải", "P22", "unit_leader", "Phó Chủ tịch UBND tỉnh"),
    ("quantri", "Đỗ Mạnh Cường", "P22", "system_admin", "Quản trị hệ thống"),
]

# The fields each provincial department is in charge of (it examines and decides their procedures), written
# into agencies.csv's `field_codes` by `units.py`; intake finds the department from them (dossiers.routing).
FIELD_DEPARTMENT = {
    "Thành lập và hoạt động doanh nghiệp": "SKHDT", "Đầu tư tại Việt Nam": "SKHDT", "Đường bộ": "SGTVT",
    "Hoạt động xây dựng": "SXD", "Lý lịch tư pháp": "STP", "Công chứng": "STP", "Việc làm": "SLDTBXH",
    "Khám bệnh, chữa bệnh": "SYT", "Dược phẩm": "SYT", "An toàn thực phẩm": "SYT", "Đất đai": "STNMT",
    "Tài nguyên nước": "STNMT", "Môi trường": "STNMT", "Lữ hành": "SDL", "Du lịch": "SDL",
    "Nghệ thuật biểu diễn": "SVHTT", "Quảng cáo": "SVHTT", "Giáo dục và Đào tạo": "SGDDT",
    "Văn bằng, chứng chỉ": "SGDDT", "Lưu thông hàng hóa trong nước": "SCT", "Kinh doanh khí, xăng dầu": "SCT",
    "Vật liệu nổ công nghiệp": "SCT", "In, phát hành": "STTTT", "Báo chí": "STTTT", "Thú y": "SNNPTNT",
    "Quản lý chất lượng nông lâm thủy sản": "SNNPTNT", "Tổ chức phi chính phủ": "SNV",
    "Công chức, viên chức": "SNV",
}
# The fields each district office (phòng) is in charge of (it examines; the district decides), likewise.
FIELD_OFFICE = {
    "Đất đai": "TNMT", "Đăng ký biện pháp bảo đảm": "TNMT", "Hoạt động xây dựng": "QLDT",
    "Hộ tịch": "TP", "Chứng thực": "TP", "Thành lập và hoạt động của hộ kinh doanh": "TCKH",
    "Thành lập và hoạt động của hợp tác xã": "TCKH", "Lưu thông hàng hóa trong nước": "TCKH",
    "Bảo trợ xã hội": "LDTBXH", "Giáo dục và Đào tạo": "GDDT", "Văn hóa": "VHTT", "Tổ chức phi chính phủ": "NV",
}
# District-level localities: share of the district-level volume (population and business activity).
DISTRICT_WEIGHT = {"D193": 24, "D195": 14, "D194": 10, "D196": 9, "D205": 10, "D206": 9, "D203": 5, "D204": 4,
                   "D199": 4, "D201": 4, "D200": 3, "D198": 2, "D202": 2, "D207": 1}
# Share of dossiers that came online, per level, in 2017 (level 3–4 online services were young).
ONLINE_SHARE = {"province": 0.12, "district": 0.05, "commune": 0.02}
P_LATE = 0.003  # resolved after the appointment (plus the few the calendar makes late): just above 99%
P_APOLOGY = 0.6  # of the late ones, an apology went out in time
P_SUPPLEMENT = 0.04
P_WITHDRAW = 0.003
P_STOP = 0.001
P_POSTAL = 0.02
# Satisfaction (docs/domain.md §13): a third of citizens rate at the counter's device, the kiosk or online when
# they take their result; most are very satisfied or satisfied, a late dossier makes discontent likelier.
P_VOTE = 0.35
VOTE_LEVELS = (["very_satisfied", "satisfied", "not_satisfied"], [62, 36, 2])
VOTE_LEVELS_LATE = (["very_satisfied", "satisfied", "not_satisfied"], [15, 45, 40])
VOTE_CHANNELS = (["counter", "kiosk", "online"], [55, 30, 15])
P_VOTE_ON_CLERK = 0.3
VOTE_COMMENTS = {
    "very_satisfied": ["Cán bộ hướng dẫn tận tình, trả kết quả trước hẹn.", "Thủ tục nhanh gọn, rất hài lòng."],
    "satisfied": ["Đúng hẹn, thái độ phục vụ tốt.", "Chờ hơi lâu ở quầy nhưng giải quyết đúng hẹn."],
    "not_satisfied": ["Trả kết quả chậm so với giấy hẹn.", "Phải đi lại nhiều lần mới đủ giấy tờ."],
}

# Lunar new year's day: the daily shape's rush before it and dip after it.
TET = {2017: dt.date(2017, 1, 28), 2025: dt.date(2025, 1, 29)}

# Inspections: the topic and the kind of target of each organizer.
INSPECTION_TOPICS = {
    "P22-HQ": ("Kiểm tra việc thực hiện thủ tục hải quan điện tử và kiểm tra sau thông quan", "P22-HQ-"),
    "P22-PCCC": ("Kiểm tra an toàn phòng cháy, chữa cháy tại trụ sở và nơi tiếp công dân", "district"),
    "P22-VKS": ("Kiểm sát việc giải quyết khiếu nại, tố cáo và thi hành án hành chính", "district"),
    "P22-SGDDT": ("Kiểm tra việc thực hiện thủ tục hành chính lĩnh vực giáo dục", "-GDDT"),
    "P22-SGTVT": ("Kiểm tra công tác cấp, đổi giấy phép lái xe và quản lý vận tải", "-QLDT"),
    "P22-BTG": ("Kiểm tra việc thực hiện Chỉ thị của Tỉnh ủy về cải cách hành chính, văn hóa công sở", "commune"),
    "P22-SNV": ("Kiểm tra công vụ: kỷ luật, kỷ cương hành chính tại Bộ phận Một cửa", "commune"),
    "P22-SVHTT": ("Kiểm tra thực hiện nếp sống văn minh, văn hóa công sở", "district"),
}

# What each organiser's 2017 inspections found, recommended and were shown as done: (finding, recommendation,
# evidence of completion). The organiser's own field, so the inspector's lists read as real work.
INSPECTION_FOLLOW_UP = {
    "P22-HQ": ("Một số tờ khai hải quan điện tử phân luồng chưa đúng tiêu chí quản lý rủi ro",
               "Rà soát, phân luồng lại tờ khai theo tiêu chí quản lý rủi ro; báo cáo Cục Hải quan",
               "Đã rà soát 120 tờ khai, điều chỉnh phân luồng 7 tờ khai; báo cáo gửi Cục."),
    "P22-PCCC": ("Bình chữa cháy tại nơi tiếp công dân hết hạn kiểm định; lối thoát nạn bị che chắn",
                 "Thay bình chữa cháy hết hạn, giải tỏa lối thoát nạn tại nơi tiếp công dân",
                 "Đã thay 6 bình chữa cháy và giải tỏa lối thoát nạn; biên bản tự kiểm tra kèm ảnh."),
    "P22-VKS": ("Một số đơn khiếu nại giải quyết quá thời hạn luật định",
                "Giải quyết dứt điểm các đơn khiếu nại quá hạn; rút kinh nghiệm với cán bộ thụ lý",
                "Đã giải quyết 3 đơn quá hạn; biên bản họp rút kinh nghiệm."),
    "P22-SGDDT": ("Niêm yết thủ tục tuyển sinh, chuyển trường chưa cập nhật theo quy định mới",
                  "Cập nhật niêm yết thủ tục tuyển sinh, chuyển trường tại Bộ phận Một cửa",
                  "Đã niêm yết lại 9 thủ tục lĩnh vực giáo dục; ảnh chụp bảng niêm yết."),
    "P22-SGTVT": ("Hồ sơ đổi giấy phép lái xe lưu trữ chưa đầy đủ, sổ theo dõi ghi thiếu ngày trả",
                  "Bổ sung hồ sơ lưu trữ và sổ theo dõi cấp, đổi giấy phép lái xe",
                  "Đã bổ sung sổ theo dõi và 42 hồ sơ lưu trữ; biên bản kiểm tra nội bộ."),
    "P22-BTG": ("Chưa xây dựng kế hoạch thực hiện Chỉ thị của Tỉnh ủy về cải cách hành chính",
                "Ban hành kế hoạch thực hiện Chỉ thị, phân công cán bộ theo dõi",
                "Đã ban hành kế hoạch thực hiện Chỉ thị; gửi kèm văn bản."),
    "P22-SNV": ("Niêm yết công khai thủ tục hành chính chưa cập nhật đầy đủ",
                "Cập nhật niêm yết thủ tục hành chính tại Bộ phận Một cửa",
                "Đã cập nhật niêm yết thủ tục hành chính; ảnh chụp bảng niêm yết lưu tại Bộ phận Một cửa."),
    "P22-SVHTT": ("Một số cán bộ chưa đeo thẻ, trang phục chưa đúng quy định văn hóa công sở",
                  "Chấn chỉnh việc đeo thẻ, trang phục công sở; kiểm tra định kỳ hằng tháng",
                  "Đã nhắc nhở 4 cán bộ; lập sổ kiểm tra văn hóa công sở hằng tháng."),
}

FEEDBACK_ABOUT_DOSSIER = [
    ("Hồ sơ trả kết quả chậm so với giấy hẹn",
     "Tôi nộp hồ sơ và được hẹn trả kết quả nhưng đến ngày hẹn vẫn chưa nhận được, đề nghị kiểm tra."),
    ("Đề nghị hướng dẫn rõ thành phần hồ sơ",
     "Khi nộp hồ sơ tôi phải bổ sung giấy tờ, đề nghị niêm yết đầy đủ thành phần hồ sơ để người dân biết."),
    ("Khen cán bộ tiếp nhận",
     "Cán bộ tiếp nhận hướng dẫn tận tình, giải quyết hồ sơ trước hẹn. Tôi xin gửi lời cảm ơn."),
]
FEEDBACK_ABOUT_AGENCY = [
    ("Kiến nghị bố trí thêm quầy tiếp nhận",
     "Buổi sáng đầu tuần rất đông người chờ, đề nghị bố trí thêm quầy và máy lấy số thứ tự."),
    ("Phản ánh về phí, lệ phí niêm yết",
     "Mức lệ phí niêm yết tại quầy khác với mức thu thực tế, đề nghị cơ quan kiểm tra và trả lời."),
]
ANSWERS = ["Cơ quan đã kiểm tra, tiếp thu ý kiến và chấn chỉnh; xin cảm ơn ông/bà đã phản ánh.",
           "Hồ sơ đã được giải quyết và trả kết quả; cơ quan đã nhắc nhở bộ phận liên quan.",
           "Cơ quan đã cập nhật niêm yết công khai thủ tục tại Bộ phận Một cửa theo kiến nghị."]
P_FEEDBACK_ANSWERED = 0.75

# ---------------------------------------------------------------------------------------------------
# quangninh-2025: the reform of 1/7/2025

REFORM_DAY = dt.date(2025, 7, 1)
BEFORE = (dt.date(2025, 6, 2), dt.date(2025, 6, 30))
AFTER = (REFORM_DAY, dt.date(2025, 7, 31))
END_BEFORE = dt.datetime(2025, 6, 30, 17, 0, tzinfo=TZ)
END_AFTER = dt.datetime(2025, 7, 31, 17, 0, tzinfo=TZ)
TRANSFER_NOTE = "Chuyển đơn vị kế thừa theo sắp xếp đơn vị hành chính (Nghị quyết 202/2025/QH15)"
LOGINS_2025 = [
    ("motcua.honggai2025", "Phạm Thị Thu Trang", "W25-06685-MC", "desk_clerk", "Công chức Bộ phận Một cửa"),
    ("lanhdao.honggai2025", "Nguyễn Văn Tuấn", "W25-06685", "unit_leader", "Chủ tịch UBND phường"),
]
# Online dossiers had become common by 2025 (national public service portal, level-4 services).
ONLINE_SHARE_2025 = {"province": 0.45, "district": 0.3, "commune": 0.3}
