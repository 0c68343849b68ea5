<!DOCTYPE html>
<html xml:lang="ru" lang="ru">
<head>
	<meta http-equiv="X-UA-Compatible" content="IE=edge" />
	<meta name="viewport" content="user-scalable=no, initial-scale=1.0, maximum-scale=1.0, width=device-width">
	<meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />
	<title>Платные образовательные услуги</title>
	<link href="/bitrix/cache/css/s1/school/template_5c2f.css?17155" type="text/css" rel="stylesheet" />
	<script type="text/javascript">if(!window.BX)window.BX={message:function(mess){}};</script>
	<script type="text/javascript" src="/bitrix/js/main/core/core.min.js?1715584"></script>
</head>
<body class="bx-background-image">
<div id="panel"></div>
<div class="bx-wrapper" id="bx_eshop_wrap">
	<header class="bx-header">
		<div class="bx-logo"><a class="bx-logo-block" href="/"><img src="/include/logo.png" alt=""> МБОУ «Гимназия № 3»</a></div>
		<div class="bx-inc-orginfo"><span class="bx-inc-orginfo-phone"><i class="fa fa-phone"></i> 8 (86130) 4-27-15</span>
		<span class="bx-inc-orginfo-mail">gymn3@tim-edu.example.ru</span></div>
		<a class="special-version" href="?special_version=Y">Версия для слабовидящих</a>
		<div class="bx-top-nav">
			<ul class="bx-nav-list-1-lvl">
				<li class="bx-nav-1-lvl"><a href="/">Главная</a></li>
				<li class="bx-nav-1-lvl"><a href="/sveden/">Сведения об образовательной организации</a></li>
				<li class="bx-nav-1-lvl"><a href="/news/">Новости</a></li>
				<li class="bx-nav-1-lvl"><a href="/internet-priemnaya/">Интернет-приёмная</a></li>
				<li class="bx-nav-1-lvl"><a href="/faq/">Вопросы и ответы</a></li>
				<li class="bx-nav-1-lvl"><a href="/auth/?login=yes">Вход</a></li>
			</ul>
		</div>
	</header>
	<div class="workarea">
	<div class="container"><div class="row">
	<div class="col-md-3 sidebar">
		<div class="bx-sidebar-block"><ul class="left-menu">
			<li><a href="/sveden/common/">Основные сведения</a></li>
			<li><a href="/sveden/struct/">Структура и органы управления образовательной организацией</a></li>
			<li><a href="/sveden/dokument/">Документы</a></li>
			<li><a href="/sveden/education/">Образование</a></li>
			<li><a href="/sveden/edustandarts/">Образовательные стандарты и требования</a></li>
			<li><a href="/sveden/managers/">Руководство</a></li>
			<li><a href="/sveden/employees/">Педагогический состав</a></li>
			<li><a href="/sveden/objects/">Материально-техническое обеспечение и оснащенность образовательного процесса. Доступная среда</a></li>
			<li><a href="/sveden/grants/">Стипендии и меры поддержки обучающихся</a></li>
			<li><a href="/sveden/platnye-uslugi/">Платные образовательные услуги</a></li>
			<li><a href="/sveden/budget/">Финансово-хозяйственная деятельность</a></li>
			<li><a href="/sveden/vakantnye-mesta/">Вакантные места для приема (перевода) обучающихся</a></li>
			<li><a href="/sveden/inter/">Международное сотрудничество</a></li>
			<li><a href="/food/">Организация питания в образовательной организации</a></li>
		</ul></div>
	</div>
	<div class="col-md-9 bx-content">
		<div class="bx-breadcrumb"><div class="bx-breadcrumb-item"><a href="/" title="Главная"><span>Главная</span></a></div></div>
		<h1 id="pagetitle">Платные образовательные услуги</h1>
<div class="bx-sveden" itemscope>

<p><a itemprop="paidEdu" href="/upload/docs/polozhenie-platnye.pdf">Положение о порядке оказания платных образовательных услуг</a></p>
<p><a itemprop="paidDog" href="/upload/docs/dogovor-obrazec.pdf">Образец договора об оказании платных образовательных услуг</a></p>
<p><a itemprop="paidSt" href="/upload/docs/prikaz-stoimost.pdf">Приказ об утверждении стоимости обучения по каждой программе</a></p>
<p itemprop="paidParents">Плата за присмотр и уход не взимается (нет групп продлённого дня за плату).</p>
</div>
	</div>
	</div></div>
	</div>
	<footer class="bx-footer">
		<div class="bx-footer-line">Муниципальное бюджетное общеобразовательное учреждение «Гимназия № 3» муниципального образования Тимашевский район. 352700, Краснодарский край, г. Тимашевск, ул. Пионерская, д. 91</div>
		<div class="bx-footer-bottomline">© 2025 Все права защищены. Работает на «1С-Битрикс: Сайт школы»</div>
	</footer>
</div>
</body>
</html>
